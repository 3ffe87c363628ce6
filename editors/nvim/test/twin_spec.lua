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
  -- Neovim 0.10+ pulls diagnostics (LSP 3.17) and is pushed none; 0.7 is pushed them.
  local client = twin.client(home)
  local pulls = vim.fn.has("nvim-0.10") == 1
  assert((client.server_capabilities.diagnosticProvider ~= nil) == pulls, "diagnosticProvider offered: " .. tostring(not pulls))
  if pulls then
    local pulled = vim.diagnostic.get(home, { namespace = vim.lsp.diagnostic.get_namespace(client.id, true) })
    local pushed = vim.diagnostic.get(home, { namespace = vim.lsp.diagnostic.get_namespace(client.id, false) })
    assert(#pulled > 0 and #pushed == 0, ("pulled %d, pushed %d"):format(#pulled, #pushed))
  end
end)

check("an edit's findings follow the edit (pushed or pulled again)", function()
  local function has(needle)
    for _, d in ipairs(vim.diagnostic.get(home)) do
      if d.message:find(needle, 1, true) then
        return true
      end
    end
    return false
  end
  local last = vim.api.nvim_buf_line_count(home)
  vim.api.nvim_buf_set_lines(home, last, last, false, { "Also [[Elsewhere Entirely]]" })
  wait_for("a finding on the new broken link", function()
    return has("Elsewhere Entirely")
  end)
  vim.api.nvim_buf_set_lines(home, last, last + 1, false, {})
  wait_for("the finding to go with the line", function()
    return not has("Elsewhere Entirely")
  end)
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

check(":TwinReport has the server write the report and opens it", function()
  local opened
  local ui_open = vim.ui.open
  vim.ui.open = function(path) opened = path end
  twin.last_report = nil
  vim.cmd("TwinReport")
  wait_for("the report", function() return twin.last_report ~= nil end)
  vim.ui.open = ui_open
  assert(vim.fn.filereadable(twin.last_report) == 1, twin.last_report)
  assert(not twin.last_report:find(vault, 1, true), "the report is written outside the vault")
  if ui_open then
    assert(opened == twin.last_report, vim.inspect(opened))
  end
end)

check(":TwinToday opens a day's daily note, created by the server", function()
  local path = vault .. "/2031-01-02.md"
  os.remove(path)
  vim.cmd("TwinToday 2031-01-02")
  wait_for("the daily note", function()
    return vim.api.nvim_buf_get_name(0):sub(-#"2031-01-02.md") == "2031-01-02.md"
  end)
  assert(vim.fn.filereadable(path) == 1, path .. " was not created")
  -- The buffer stays: wiping it races the code-lens refresh its BufEnter started.
  vim.api.nvim_set_current_buf(home)
  os.remove(path)
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

check("twin's buffer mappings, omnifunc and code-lens refresh are set on attach", function()
  for _, key in ipairs({ "gd", "K", "gr" }) do
    local m = vim.fn.maparg(key, "n", false, true)
    assert(m.buffer == 1, key .. " is not buffer-local: " .. vim.inspect(m))
  end
  assert(vim.bo[home].omnifunc:find("twin", 1, true), vim.bo[home].omnifunc)
  local lens_autocmds = vim.api.nvim_get_autocmds({ group = "twin_codelens_" .. home })
  assert(#lens_autocmds > 0, "no code-lens refresh")
  -- Inlay hints exist from Neovim 0.10: on in twin's buffers, and the server is told.
  if vim.lsp.inlay_hint then
    assert(vim.lsp.inlay_hint.is_enabled({ bufnr = home }), "inlay hints are off")
  end
  assert(require("twin").init_options().inlayHints.enable == true, "the server is not told")
end)

-- A folder without .obsidian, .twin or .git: the note's folder becomes the vault.
local loose_dir = vim.fn.tempname()
vim.fn.mkdir(loose_dir, "p")
vim.fn.writefile({ "# Sync settings", "", "How to sync." }, loose_dir .. "/Sync settings.md")
vim.fn.writefile({ "# Loose", "", "See [[Sync settings]]." }, loose_dir .. "/Loose.md")
local loose

check("a note outside every marked vault gets its folder as the vault, with a message", function()
  local before = #notified
  vim.cmd("edit " .. vim.fn.fnameescape(loose_dir .. "/Loose.md"))
  loose = vim.api.nvim_get_current_buf()
  wait_for("a twin client", function()
    return twin.client(loose) ~= nil
  end)
  local said = table.concat(vim.list_slice(notified, before + 1), "\n")
  assert(said:find("its folder is the vault", 1, true), said)
  local root = twin.client(loose).config.root_dir
  assert(vim.fn.resolve(root) == vim.fn.resolve(loose_dir), root)
end)

check(":checkhealth twin says which root and why", function()
  vim.cmd("checkhealth twin")
  local text = table.concat(lines_of(0), "\n")
  assert(text:find("vault root of this note: " .. loose_dir .. " (no .obsidian", 1, true), text)
  vim.cmd("bwipeout!")
  vim.cmd("buffer " .. loose)
end)

check("omnifunc after [[Sync sett replaces what was typed with the link", function()
  local client = twin.client(loose)
  wait_for("the loose vault to load", function()
    local r = vim.lsp.buf_request_sync(loose, "workspace/symbol", { query = "Sync" }, 5000) or {}
    for _, response in pairs(r) do
      if response.result and #response.result > 0 then
        return true
      end
    end
    return false
  end)
  local typed = "Next: [[Sync sett"
  vim.api.nvim_buf_set_lines(loose, 3, 3, false, { typed })
  vim.api.nvim_win_set_cursor(0, { 4, #typed })
  local start = twin.omnifunc(1, "")
  assert(start == #"Next: ", "start " .. tostring(start))
  local result = twin.omnifunc(0, typed:sub(start + 1))
  local word
  for _, w in ipairs(result.words) do
    if w.abbr == "Sync settings" then
      word = w.word
    end
  end
  assert(word == "[[Sync settings]]", vim.inspect(result.words))
  -- What Vim does with the chosen item: the text from `start` to the cursor becomes it.
  vim.api.nvim_buf_set_lines(loose, 3, 4, false, { typed:sub(1, start) .. word })
  assert(lines_of(loose)[4] == "Next: [[Sync settings]]", lines_of(loose)[4])
  vim.api.nvim_buf_set_lines(loose, 3, 4, false, {})
  vim.bo[loose].modified = false
  assert(client ~= nil)
end)

check("renaming a note from a link renames its file and the links", function()
  local line, col = find_in_buffer(loose, "[[Sync settings]]")
  vim.api.nvim_win_set_cursor(0, { line, col + 3 })
  vim.lsp.buf.rename("Sync options")
  wait_for("the renamed file", function()
    return vim.fn.filereadable(loose_dir .. "/Sync options.md") == 1
  end)
  wait_for("the link rewritten", function()
    return table.concat(lines_of(loose), "\n"):find("[[Sync options]]", 1, true) ~= nil
  end)
  assert(vim.fn.filereadable(loose_dir .. "/Sync settings.md") == 0, "the old file is gone")
end)

out(("%d passed, %d failed"):format(passed, failed))
vim.cmd(failed == 0 and "qall!" or "cquit 1")
