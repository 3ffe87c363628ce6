-- :checkhealth twin — the binary, its version, the vault root and the attached client.

local M = {}

-- vim.health (0.8+, renamed functions in 0.10) or the older `health` module (0.7).
local health = vim.health or require("health")
local start = health.start or health.report_start
local ok = health.ok or health.report_ok
local warn = health.warn or health.report_warn
local report_error = health.error or health.report_error
local info = health.info or health.report_info

function M.check()
  local twin = require("twin")
  start("twin")

  if vim.fn.has("nvim-0.7") == 1 then
    local path = vim.fn.has("nvim-0.11") == 1 and "vim.lsp.config / vim.lsp.enable"
      or "vim.lsp.start_client + buf_attach_client"
    local v = vim.version()
    ok(string.format("Neovim %d.%d.%d (client set up through %s)", v.major, v.minor, v.patch, path))
  else
    report_error("Neovim 0.7 or newer is required")
  end

  local cmd = twin.config.cmd or {}
  local binary = cmd[1]
  if binary == nil or vim.fn.executable(binary) == 0 then
    report_error(
      "`" .. tostring(binary) .. "` is not executable",
      { "Install twin with `cargo install --path .` in a twin checkout", "or pass cmd = { '/path/to/twin', 'lsp' } to setup()" }
    )
  else
    local version = vim.fn.system({ binary, "--version" })
    if vim.v.shell_error == 0 then
      ok("server: " .. vim.fn.exepath(binary) .. " (" .. vim.trim(version) .. ")")
    else
      report_error("`" .. binary .. " --version` failed: " .. vim.trim(version))
    end
  end

  info("diagnostics scope: " .. tostring(twin.config.diagnostics_scope) .. ", record history: " .. tostring(twin.config.record_history))

  local clients = {}
  if vim.lsp.get_clients then
    clients = vim.lsp.get_clients({ name = "twin" })
  else
    for _, client in pairs(vim.lsp.get_active_clients()) do
      if client.name == "twin" then
        table.insert(clients, client)
      end
    end
  end
  if #clients == 0 then
    info("no twin client is running (open a note inside a vault)")
  end
  for _, client in ipairs(clients) do
    ok(("twin client %d is running for the vault %s"):format(client.id, tostring(client.config.root_dir)))
  end

  -- :checkhealth shows its report in a buffer of its own: look at the current buffer
  -- when it is a note, else at the note twin saw last.
  local bufnr = vim.api.nvim_get_current_buf()
  local function is_file(b)
    local n = vim.api.nvim_buf_get_name(b)
    return vim.bo[b].buftype == "" and n ~= "" and not n:match("^health:")
  end
  if not is_file(bufnr) then
    bufnr = twin.last_note
    if bufnr == nil or not vim.api.nvim_buf_is_valid(bufnr) or not is_file(bufnr) then
      return
    end
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  local root, why = twin.root_for(name)
  if root == nil then
    warn(
      "no vault root for " .. name .. ": " .. why,
      { "twin starts for notes under a folder with one of these markers: " .. table.concat(twin.config.root_markers, ", "), "or set root_fallback = true" }
    )
    return
  end
  ok("vault root of this note: " .. root .. " (" .. why .. ")")
  if twin.client(bufnr) == nil then
    warn("no twin client is attached to this note", { "is its filetype markdown? see :LspInfo and vim.lsp.get_log_path()" })
  end
end

return M
