;;; twin.el --- twin language server through eglot  -*- lexical-binding: t; -*-

;; docs/editors.md's Emacs setup as a file to load: `(load "/path/to/twin/editors/emacs/twin.el")'.
;; eglot is built into Emacs 29+; on Emacs 28 install it (Debian: elpa-eglot).

;;; Code:

(require 'eglot)
(require 'project)

(defvar twin-command "twin"
  "The twin binary.")

(defvar twin-diagnostics-scope "vault"
  "\"vault\": findings for every note; \"open\": for open notes only.")

(defun twin-project-find (dir)
  "A project rooted at the nearest folder above DIR with .obsidian or .twin.
So a vault inside a larger git repository is its own root for twin."
  (let ((root (or (locate-dominating-file dir ".obsidian")
                  (locate-dominating-file dir ".twin"))))
    (and root (cons 'transient (expand-file-name root)))))

(add-hook 'project-find-functions #'twin-project-find)

(add-to-list 'eglot-server-programs
             `((markdown-mode gfm-mode)
               . ,(lambda (&rest _)
                    (list twin-command "lsp"
                          :initializationOptions
                          `(:diagnostics (:scope ,twin-diagnostics-scope))))))

(add-hook 'markdown-mode-hook #'eglot-ensure)

(provide 'twin)
;;; twin.el ends here
