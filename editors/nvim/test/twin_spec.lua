-- Headless test of the twin plugin against the real `twin lsp`.
-- Run by test/run.sh: nvim --headless -u NONE -i NONE -c "luafile test/twin_spec.lua".
-- Needs $TWIN_BIN (the twin binary) and $TWIN_VAULT (fixtures/editors/vault).

local TIMEOUT = 20000
local binary = assert(os.getenv("TWIN_BIN"), "TWIN_BIN is not set")
local vault = assert(os.getenv("TWIN_VAULT"), "TWIN_VAULT is not set")

local passed, failed = 0, 0
local function out(line)
  io.stdout:write(line .. "\n")
end

local function check(name, fn)
  local ok, err = pcall(fn)
  if ok then
    passed = passed + 1
    out("ok - " .. name)
  else
    failed = failed + 1
    out("not ok - " .. name .. ": " .. tostring(err))
  end
end

local function wait_for(what, predicate)
  if not vim.wait(TIMEOUT, predicate, 50) then
    error("timed out waiting for " .. what, 2)
  end
end

local function lines_of(bufnr)
  return vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
end

local function find_in_buffer(bufnr, needle)
  for i, line in ipairs(lines_of(bufnr)) do
    local col = line:find(needle, 1, true)
    if col then
      return i, col
    end
  end
  error(needle .. " not found in buffer")
end

-- Messages from the plugin, kept for assertions and printed as TAP comments.
local notified = {}
vim.notify = function(msg)
  table.insert(notified, msg)
  out("# notify: " .. msg)
end

vim.cmd("filetype on")
vim.opt.swapfile = false
vim.opt.shortmess:append("A")

local twin = require("twin")
twin.setup({ cmd = { binary, "lsp" } })
local v = vim.version()
out(string.format("# Neovim %d.%d.%d, %s", v.major, v.minor, v.patch, vim.fn.has("nvim-0.11") == 1 and "vim.lsp.enable path" or "start_client path"))

vim.cmd("edit " .. vim.fn.fnameescape(vault .. "/Home.md"))
local home = vim.api.nvim_get_current_buf()

check("finds the vault root from its .obsidian marker", function()
  assert(twin.find_root(vault .. "/Notes/Ideas.md") == vault, twin.find_root(vault .. "/Notes/Ideas.md"))
end)

check("starts twin for a markdown note in the vault", function()
  assert(vim.bo[home].filetype == "markdown", "filetype " .. vim.bo[home].filetype)
  wait_for("a twin client", function()
    return twin.client(home) ~= nil
  end)
  local client = twin.client(home)
  wait_for("initialization", function()
    return client.initialized ~= false and client.server_capabilities ~= nil
  end)
end)

check("the broken link [[Nowhere]] is among twin's diagnostics", function()
  local function broken()
    for _, d in ipairs(vim.diagnostic.get(home)) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      if code == "broken-link" and d.message:find("Nowhere", 1, true) then
        return d
      end
    end
  end
  wait_for("the broken-link diagnostic", function()
    return broken() ~= nil
  end)
  local d = broken()
  -- The target is underlined, not the brackets: 0-based column of "Nowhere".
  local line, col = find_in_buffer(home, "Nowhere]]")
  assert(d.lnum == line - 1 and d.col == col - 1, ("at %d:%d, expected %d:%d"):format(d.lnum, d.col, line - 1, col - 1))
  assert(d.severity == vim.diagnostic.severity.ERROR, "severity " .. tostring(d.severity))
end)

check("go to definition on [[Guide]] opens Guide.md", function()
  local line, col = find_in_buffer(home, "[[Guide]]")
  vim.api.nvim_win_set_cursor(0, { line, col + 2 })
  vim.lsp.buf.definition()
  wait_for("Guide.md to become the current buffer", function()
    return vim.api.nvim_buf_get_name(0):match("/Guide%.md$") ~= nil
  end)
  assert(vim.api.nvim_get_current_buf() ~= home, "the buffer changed")
  vim.cmd("buffer " .. home)
end)

check("completion after a typed [[ offers the vault's notes", function()
  local last = vim.api.nvim_buf_line_count(home)
  vim.api.nvim_buf_set_lines(home, last, last, false, { "Next: [[" })
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(home) },
    position = { line = last, character = #"Next: [[" },
    context = { triggerKind = 2, triggerCharacter = "[" },
  }
  local labels = {}
  wait_for("completion items for Guide and Ideas", function()
    local responses = vim.lsp.buf_request_sync(home, "textDocument/completion", params, 5000) or {}
    labels = {}
    for _, response in pairs(responses) do
      local result = response.result or {}
      for _, item in ipairs(result.items or result) do
        labels[item.label] = true
      end
    end
    return labels["Guide"] and labels["Ideas"]
  end)
  vim.api.nvim_buf_set_lines(home, last, last + 1, false, {})
  vim.bo[home].modified = false
end)

check(":TwinSearch fills the quickfix list (twin/search or workspace symbols)", function()
  vim.fn.setqflist({}, "r")
  vim.cmd("TwinSearch Guide")
  wait_for("quickfix entries", function()
    return #vim.fn.getqflist() > 0
  end)
  local found = false
  for _, item in ipairs(vim.fn.getqflist()) do
    if vim.api.nvim_buf_get_name(item.bufnr):match("/Guide%.md$") then
      found = true
    end
  end
  assert(found, vim.inspect(vim.fn.getqflist()))
  vim.cmd("cclose")
  vim.cmd("buffer " .. home)
end)

check(":TwinHistory asks twin/history and shows its entries or says there are none", function()
  local before = #notified
  vim.cmd("TwinHistory")
  wait_for("an answer", function()
    return #notified > before or vim.api.nvim_get_current_buf() ~= home
  end)
  if vim.api.nvim_get_current_buf() ~= home then
    vim.cmd("bwipeout!") -- entries were shown
  else
    -- The vault has no recorded history: the server answers, with no entries.
    assert(notified[#notified]:find("no recorded history", 1, true), notified[#notified])
  end
end)

check("the reference lens command fills the quickfix list", function()
  local client = twin.client(home)
  local lenses = {}
  wait_for("code lenses", function()
    local responses = vim.lsp.buf_request_sync(home, "textDocument/codeLens", { textDocument = { uri = vim.uri_from_fname(vault .. "/Guide.md") } }, 5000) or {}
    for _, response in pairs(responses) do
      lenses = response.result or {}
    end
    return #lenses > 0
  end)
  local refs
  for _, lens in ipairs(lenses) do
    if lens.command and lens.command.command == "twin.showReferences" and #(lens.command.arguments[3] or {}) > 0 then
      refs = lens
      break
    end
  end
  assert(refs, vim.inspect(lenses))
  vim.fn.setqflist({}, "r")
  vim.lsp.commands["twin.showReferences"](refs.command, { client_id = client.id, bufnr = home })
  assert(#vim.fn.getqflist() == #refs.command.arguments[3], vim.inspect(vim.fn.getqflist()))
  vim.cmd("cclose")
  vim.cmd("buffer " .. home)
end)

check(":checkhealth twin reports the server and the vault root", function()
  vim.cmd("checkhealth twin")
  local text = table.concat(lines_of(0), "\n")
  assert(text:find("is running for the vault " .. vault, 1, true), text)
  assert(not text:find("ERROR", 1, true), text)
  vim.cmd("bwipeout!")
  vim.cmd("buffer " .. home)
end)

check("a note outside every vault starts nothing", function()
  local dir = vim.fn.tempname()
  vim.fn.mkdir(dir, "p")
  vim.cmd("edit " .. vim.fn.fnameescape(dir .. "/Loose.md"))
  local loose = vim.api.nvim_get_current_buf()
  vim.wait(500)
  assert(twin.find_root(dir .. "/Loose.md") == nil, "no marker above " .. dir)
  assert(twin.client(loose) == nil, "no twin client for a loose note")
end)

out(("%d passed, %d failed"):format(passed, failed))
vim.cmd(failed == 0 and "qall!" or "cquit 1")
