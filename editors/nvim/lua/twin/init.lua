-- twin for Neovim: starts `twin lsp` for markdown buffers inside a vault, and adds
-- :TwinSearch, :TwinHistory and :TwinMentions. Neovim 0.11+ goes through
-- vim.lsp.config / vim.lsp.enable; 0.7 to 0.10 through vim.lsp.start_client and
-- vim.lsp.buf_attach_client.

local M = {}

local defaults = {
  -- The server's command line; `cmd[1]` may be a full path.
  cmd = { "twin", "lsp" },
  filetypes = { "markdown" },
  -- Searched upward from the note in this order: the nearest `.obsidian` or `.twin`
  -- wins over an enclosing `.git`.
  root_markers = { ".obsidian", ".twin", ".git" },
  -- Without any marker above a note, use the note's folder as the vault (and say so);
  -- false starts nothing there.
  root_fallback = true,
  -- Buffer-local mappings set when twin attaches; set one to false to leave that key
  -- alone, or `mappings = false` for none.
  mappings = {
    definition = "gd",
    hover = "K",
    references = "gr",
    rename = "<leader>rn",
    code_action = "<leader>ca",
  },
  -- Set 'omnifunc' to twin's completion (links replace the typed `[[`; fuzzy matches).
  omnifunc = true,
  -- Refresh code lenses (reference counts, coherence) on enter, save and leaving insert.
  codelens = true,
  -- Inlay hints after links (a referenced block's first words, a relation declared
  -- elsewhere): shown in twin's buffers on Neovim 0.10+, and asked of the server only when on.
  inlay_hints = true,
  -- "vault": findings for every note; "open": for open notes only.
  diagnostics_scope = "vault",
  -- Let the server record findings on save and renames in .twin/trace.jsonl (the history
  -- :TwinHistory lists and diagnostics' ages come from).
  record_history = true,
  on_attach = nil,
  capabilities = nil,
  -- Extra fields merged into the client configuration.
  lsp = {},
}

M.config = vim.deepcopy(defaults)
M.methods = {
  search = "twin/search",
  history = "twin/history",
  unlinked_mentions = "twin/unlinkedMentions",
}
local METHOD_NOT_FOUND = -32601

local uv = vim.uv or vim.loop
local islist = vim.islist or vim.tbl_islist
local has_011 = vim.fn.has("nvim-0.11") == 1

--- The nearest folder above `path` holding a marker, markers tried in order.
function M.find_root(path, markers)
  markers = markers or M.config.root_markers
  if path == nil or path == "" then
    return nil
  end
  local start = vim.fn.fnamemodify(path, ":p")
  if vim.fn.isdirectory(start) == 0 then
    start = vim.fn.fnamemodify(start, ":h")
  end
  for _, marker in ipairs(markers) do
    local dir = start
    while true do
      if uv.fs_stat(dir .. "/" .. marker) then
        return dir
      end
      local parent = vim.fn.fnamemodify(dir, ":h")
      if parent == dir then
        break
      end
      dir = parent
    end
  end
  return nil
end

--- The vault root for a note and why it was chosen: the nearest marker's folder, else
--- (with `root_fallback`) the note's own folder. Returns nil, reason when there is none.
function M.root_for(path)
  if path == nil or path == "" then
    return nil, "the buffer has no file name"
  end
  local root = M.find_root(path)
  if root then
    for _, marker in ipairs(M.config.root_markers) do
      if uv.fs_stat(root .. "/" .. marker) then
        return root, "it holds " .. marker
      end
    end
    return root, "a marker"
  end
  local why = "no " .. table.concat(M.config.root_markers, ", ") .. " above the note"
  if not M.config.root_fallback then
    return nil, why .. " (root_fallback is off)"
  end
  return vim.fn.fnamemodify(vim.fn.fnamemodify(path, ":p"), ":h"), why .. ", so its folder is the vault"
end

-- Roots already announced, so the fallback message shows once per folder.
local announced = {}

local function announce(root, why)
  if announced[root] == nil and why:find("its folder", 1, true) then
    announced[root] = true
    vim.notify("twin: " .. why .. ": " .. root, vim.log.levels.INFO)
  end
end

--- The byte column of `units` code units of `encoding` into `line`.
local function byte_col(line, units, encoding)
  if encoding == "utf-8" then
    return units
  end
  local count, i = 0, 1
  while i <= #line and count < units do
    local c = line:byte(i)
    local len = c < 0x80 and 1 or c < 0xE0 and 2 or c < 0xF0 and 3 or 4
    count = count + ((encoding == "utf-16" and len == 4) and 2 or 1)
    i = i + len
  end
  return i - 1
end

--- twin's 'omnifunc': the server's completion with its edit ranges, so `[[` and what
--- follows are replaced by the link, and its fuzzy matches are kept as they are.
function M.omnifunc(findstart, base)
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.client(bufnr)
  if client == nil then
    return findstart == 1 and -3 or {}
  end
  local row, col = unpack(vim.api.nvim_win_get_cursor(0))
  local line = vim.api.nvim_get_current_line()
  if findstart == 1 then
    local encoding = client.offset_encoding or "utf-16"
    local params = vim.lsp.util.make_position_params(0, encoding)
    local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/completion", params, 2000) or {}
    local items = {}
    for _, response in pairs(responses) do
      local result = response.result or {}
      for _, item in ipairs(result.items or result) do
        table.insert(items, item)
      end
    end
    M._pending = { items = items, row = row }
    local start = col - #(line:sub(1, col):match("[%w_%-]*$") or "")
    local first = items[1]
    local edit = first and first.textEdit
    local range = edit and (edit.range or edit.replace)
    if range and range.start.line == row - 1 then
      start = byte_col(line, range.start.character, encoding)
    end
    return start
  end
  local words = {}
  for _, item in ipairs((M._pending or {}).items or {}) do
    local edit = item.textEdit
    table.insert(words, {
      word = (edit and edit.newText) or item.insertText or item.label,
      abbr = item.label,
      menu = item.detail or "",
      icase = 1,
      dup = 1,
      -- The server matched fuzzily: Vim must not drop what does not start with `base`.
      equal = 1,
      -- A `[[^^` block without an id: the command has the server write one (CompleteDone).
      user_data = item.command and { twin_command = item.command } or nil,
    })
  end
  return { words = words, refresh = "always" }
end

local function map(bufnr, key, fn, desc)
  if key then
    vim.keymap.set("n", key, fn, { buffer = bufnr, silent = true, desc = "twin: " .. desc })
  end
end

--- Sets up a buffer twin attached to: mappings, 'omnifunc', code-lens refresh.
function M.on_attach(client, bufnr)
  -- :checkhealth runs in a buffer of its own; it reports on the note seen last.
  M.last_note = bufnr
  vim.api.nvim_create_autocmd("BufEnter", {
    group = vim.api.nvim_create_augroup("twin_last_note_" .. bufnr, { clear = true }),
    buffer = bufnr,
    callback = function()
      M.last_note = bufnr
    end,
  })
  local maps = M.config.mappings
  if maps then
    map(bufnr, maps.definition, vim.lsp.buf.definition, "go to definition")
    map(bufnr, maps.hover, vim.lsp.buf.hover, "hover")
    map(bufnr, maps.references, vim.lsp.buf.references, "references")
    map(bufnr, maps.rename, vim.lsp.buf.rename, "rename")
    map(bufnr, maps.code_action, vim.lsp.buf.code_action, "code actions")
  end
  if M.config.omnifunc then
    vim.bo[bufnr].omnifunc = "v:lua.require'twin'.omnifunc"
    vim.api.nvim_create_autocmd("CompleteDone", {
      group = vim.api.nvim_create_augroup("twin_complete_" .. bufnr, { clear = true }),
      buffer = bufnr,
      callback = function()
        M.complete_done(bufnr)
      end,
    })
  end
  if M.config.codelens then
    local group = vim.api.nvim_create_augroup("twin_codelens_" .. bufnr, { clear = true })
    vim.api.nvim_create_autocmd({ "BufEnter", "InsertLeave", "BufWritePost" }, {
      group = group,
      buffer = bufnr,
      callback = function()
        pcall(vim.lsp.codelens.refresh)
      end,
    })
    pcall(vim.lsp.codelens.refresh)
  end
  if M.config.inlay_hints and vim.lsp.inlay_hint then
    pcall(vim.lsp.inlay_hint.enable, true, { bufnr = bufnr })
  end
  if M.config.on_attach then
    M.config.on_attach(client, bufnr)
  end
end

--- What the server receives: initializationOptions and didChangeConfiguration settings.
function M.init_options()
  return {
    diagnostics = { scope = M.config.diagnostics_scope },
    history = { record = M.config.record_history },
    inlayHints = { enable = M.config.inlay_hints and true or false },
  }
end

local function client_config(root)
  local config = vim.tbl_deep_extend("force", {
    name = "twin",
    cmd = M.config.cmd,
    init_options = M.init_options(),
    settings = { twin = M.init_options() },
    on_attach = M.on_attach,
    capabilities = M.config.capabilities or vim.lsp.protocol.make_client_capabilities(),
  }, M.config.lsp)
  if root then
    config.root_dir = root
    config.workspace_folders = { { uri = vim.uri_from_fname(root), name = root } }
  end
  return config
end

-- 0.7 to 0.10: one client per vault root, attached to each markdown buffer under it.
local legacy_clients = {}

local function legacy_attach(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if vim.bo[bufnr].buftype ~= "" or name == "" then
    return
  end
  local root, why = M.root_for(name)
  if root == nil then
    return
  end
  announce(root, why)
  local id = legacy_clients[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if client == nil or client.is_stopped() then
    id = vim.lsp.start_client(client_config(root))
    if id == nil then
      vim.notify("twin: cannot start " .. table.concat(M.config.cmd, " "), vim.log.levels.ERROR)
      return
    end
    legacy_clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

--- The twin client attached to `bufnr` (default: the current buffer), if any.
function M.client(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if has_011 then
    return vim.lsp.get_clients({ bufnr = bufnr, name = "twin" })[1]
  end
  for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if client.name == "twin" then
      return client
    end
  end
  return nil
end

local function request(client, method, params, handler, bufnr)
  if has_011 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

--- After an omnifunc item with a command was chosen: runs it on the server, which asks
--- Neovim to apply its edit (the block id of a `[[^^` link) with workspace/applyEdit.
function M.complete_done(bufnr)
  local done = vim.v.completed_item
  local data = type(done) == "table" and done.user_data
  local command = type(data) == "table" and data.twin_command
  local client = command and M.client(bufnr)
  if client then
    local params = { command = command.command, arguments = command.arguments }
    request(client, "workspace/executeCommand", params, function() end, bufnr)
  end
end

local function with_client(fn)
  local client = M.client(0)
  if client == nil then
    vim.notify("twin: no twin language server is attached to this buffer", vim.log.levels.WARN)
    return
  end
  fn(client, vim.api.nvim_get_current_buf())
end

local function is_method_not_found(err)
  return type(err) == "table" and err.code == METHOD_NOT_FOUND
end

local function show_quickfix(title, client, entries)
  -- entries: { uri, range?, text }; columns go through the client's position encoding.
  local items = {}
  for _, e in ipairs(entries) do
    local range = e.range or { start = { line = 0, character = 0 }, ["end"] = { line = 0, character = 0 } }
    local converted = vim.lsp.util.locations_to_items({ { uri = e.uri, range = range } }, client.offset_encoding)[1]
    if converted then
      converted.text = e.text or converted.text
      table.insert(items, converted)
    end
  end
  vim.fn.setqflist({}, " ", { title = title, items = items })
  if #items > 0 then
    vim.cmd("copen")
  else
    vim.notify("twin: " .. title .. ": nothing found", vim.log.levels.INFO)
  end
end

local function hits(result, key)
  if type(result) ~= "table" then
    return {}
  end
  if islist(result) then
    return result
  end
  return type(result[key]) == "table" and result[key] or {}
end

--- :TwinSearch {query}: `twin/search`, or workspace symbols on a server without it.
function M.search(query)
  with_client(function(client, bufnr)
    local title = "twin search: " .. query
    request(client, M.methods.search, { query = query, limit = 100 }, function(err, result)
      if is_method_not_found(err) then
        request(client, "workspace/symbol", { query = query }, function(err2, symbols)
          if err2 then
            vim.notify("twin: search failed: " .. vim.inspect(err2), vim.log.levels.ERROR)
            return
          end
          local entries = {}
          for _, s in ipairs(symbols or {}) do
            if s.location and s.location.uri then
              local text = s.name .. (s.containerName and (" (" .. s.containerName .. ")") or "")
              table.insert(entries, { uri = s.location.uri, range = s.location.range, text = text })
            end
          end
          show_quickfix(title, client, entries)
        end, bufnr)
        return
      elseif err then
        vim.notify("twin: search failed: " .. vim.inspect(err), vim.log.levels.ERROR)
        return
      end
      -- A list, {items = ...} or {hits = ...} (the shape of `twin search --format json`);
      -- a hit names its note by uri, or by path relative to the vault root.
      local list = hits(result, "items")
      if #list == 0 then
        list = hits(result, "hits")
      end
      local root = client.config and client.config.root_dir
      local entries = {}
      for _, h in ipairs(list) do
        if type(h) == "table" then
          local uri = h.uri or (h.path and root and vim.uri_from_fname(root .. "/" .. h.path))
          local line = type(h.lines) == "table" and h.lines[1] or nil
          local range = h.range
          if range == nil and line and line.line then
            local m = type(line.matches) == "table" and line.matches[1] or {}
            local col = (m.column or 1) - 1
            range = { start = { line = line.line - 1, character = col }, ["end"] = { line = line.line - 1, character = col } }
          end
          if uri then
            table.insert(entries, { uri = uri, range = range, text = h.snippet or (line and line.text) or h.title or "" })
          end
        end
      end
      show_quickfix(title, client, entries)
    end, bufnr)
  end)
end

--- :TwinHistory: the recorded versions of the current note (`twin/history`).
function M.history()
  with_client(function(client, bufnr)
    local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }
    request(client, M.methods.history, params, function(err, result)
      if is_method_not_found(err) then
        vim.notify("twin: this server records no note history yet (twin/history)", vim.log.levels.INFO)
        return
      elseif err then
        vim.notify("twin: history failed: " .. vim.inspect(err), vim.log.levels.ERROR)
        return
      end
      local lines = {}
      for _, e in ipairs(hits(result, "entries")) do
        local label = e.time or e.date or e.timestamp or e.revision or e.id or "?"
        table.insert(lines, label .. "  " .. (e.summary or e.message or ""))
      end
      if #lines == 0 then
        vim.notify("twin: no recorded history for this note (see record_history)", vim.log.levels.INFO)
        return
      end
      vim.cmd("botright new")
      local buf = vim.api.nvim_get_current_buf()
      vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
      vim.bo[buf].buftype = "nofile"
      vim.bo[buf].bufhidden = "wipe"
      vim.bo[buf].modifiable = false
    end, bufnr)
  end)
end

--- :TwinReport: the server writes the vault's report (twin.server.report) to a temporary
--- file, opened in the browser with vim.ui.open (Neovim 0.10+) or shown otherwise.
function M.report()
  with_client(function(client, bufnr)
    local params = { command = "twin.server.report", arguments = { vim.uri_from_bufnr(bufnr) } }
    request(client, "workspace/executeCommand", params, function(err, result)
      if err or type(result) ~= "table" or type(result.path) ~= "string" then
        vim.notify("twin: report failed: " .. vim.inspect(err or result), vim.log.levels.ERROR)
        return
      end
      M.last_report = result.path
      if vim.ui and vim.ui.open then
        vim.ui.open(result.path)
      end
      vim.notify("twin: wrote the report " .. result.path, vim.log.levels.INFO)
    end, bufnr)
  end)
end

--- :TwinToday [day]: opens the daily note of today (or of `day`: yesterday, tomorrow, a
--- weekday, "next monday", YYYY-MM-DD), which the server creates from the vault's
--- template when it does not exist (twin.openDailyNote).
function M.daily(day)
  with_client(function(client, bufnr)
    local args = { (day ~= nil and day ~= "") and day or vim.NIL, vim.uri_from_bufnr(bufnr) }
    local params = { command = "twin.openDailyNote", arguments = args }
    request(client, "workspace/executeCommand", params, function(err, result)
      if err or type(result) ~= "table" or type(result.path) ~= "string" then
        vim.notify("twin: daily note failed: " .. vim.inspect(err or result), vim.log.levels.ERROR)
        return
      end
      vim.cmd("edit " .. vim.fn.fnameescape(result.path))
      if result.created then
        vim.notify("twin: created " .. result.path, vim.log.levels.INFO)
      end
    end, bufnr)
  end)
end

--- :TwinMentions: places that name the current note without linking to it.
function M.unlinked_mentions()
  with_client(function(client, bufnr)
    local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }
    request(client, M.methods.unlinked_mentions, params, function(err, result)
      if is_method_not_found(err) then
        vim.notify("twin: this server does not offer unlinked mentions yet", vim.log.levels.INFO)
        return
      elseif err then
        vim.notify("twin: unlinked mentions failed: " .. vim.inspect(err), vim.log.levels.ERROR)
        return
      end
      local entries = {}
      for _, m in ipairs(hits(result, "mentions")) do
        if type(m) == "table" and m.uri and m.range then
          table.insert(entries, { uri = m.uri, range = m.range, text = m.text or m.context })
        end
      end
      show_quickfix("twin: unlinked mentions", client, entries)
    end, bufnr)
  end)
end

--- The client command of twin's reference lenses: `{uri, position, locations}` into the
--- quickfix list.
function M.show_references(command, ctx)
  local args = command.arguments or {}
  local client = ctx and ctx.client_id and vim.lsp.get_client_by_id(ctx.client_id)
  local encoding = client and client.offset_encoding or "utf-16"
  local items = vim.lsp.util.locations_to_items(args[3] or {}, encoding)
  vim.fn.setqflist({}, " ", { title = "twin: references", items = items })
  if #items > 0 then
    vim.cmd("copen")
  else
    vim.notify("twin: no references", vim.log.levels.INFO)
  end
end

local function create_commands()
  vim.api.nvim_create_user_command("TwinSearch", function(opts)
    local query = opts.args
    if query == "" then
      query = vim.fn.input("twin search: ")
    end
    M.search(query)
  end, { nargs = "*", desc = "Search the vault (twin/search, or workspace symbols)" })
  vim.api.nvim_create_user_command("TwinHistory", M.history, { desc = "Show the history of this note" })
  vim.api.nvim_create_user_command("TwinReport", M.report, { desc = "Write the vault's report and open it in the browser" })
  vim.api.nvim_create_user_command("TwinMentions", M.unlinked_mentions, { desc = "Show unlinked mentions of this note" })
  vim.api.nvim_create_user_command("TwinToday", function(opts)
    M.daily(opts.args)
  end, { nargs = "*", desc = "Open today's daily note (or a given day's), creating it from the template" })
end

--- Configures and enables the server. Call once, e.g. from init.lua.
function M.setup(opts)
  M.config = vim.tbl_deep_extend("force", vim.deepcopy(defaults), opts or {})
  create_commands()
  vim.lsp.commands["twin.showReferences"] = M.show_references
  if has_011 and vim.lsp.config ~= nil and vim.lsp.enable ~= nil then
    local config = client_config(nil)
    config.name = nil
    config.filetypes = M.config.filetypes
    -- A function, so that a note outside every vault gets its folder as the vault (or
    -- nothing without `root_fallback`), never a server without a root.
    config.root_dir = function(bufnr, on_dir)
      local name = vim.api.nvim_buf_get_name(bufnr)
      if vim.bo[bufnr].buftype ~= "" then
        return
      end
      local root, why = M.root_for(name)
      if root then
        announce(root, why)
        on_dir(root)
      end
    end
    vim.lsp.config("twin", config)
    vim.lsp.enable("twin")
    return
  end
  local group = vim.api.nvim_create_augroup("twin", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = M.config.filetypes,
    callback = function(args)
      legacy_attach(args.buf)
    end,
  })
  -- Buffers already open when setup() runs.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.config.filetypes, vim.bo[bufnr].filetype) then
      legacy_attach(bufnr)
    end
  end
end

return M
