;;; twin-test.el --- eglot + twin lsp, headless  -*- lexical-binding: t; -*-

;; Run by editors/emacs/test/run.sh:
;;   emacs --batch --no-site-file -l twin-test.el  (with TWIN_BIN, TWIN_VAULT and TWIN_EL set)
;; Loads editors/emacs/twin.el as a user would, opens the fixture vault's Home.md, and
;; checks the broken link's diagnostic, go to definition and completion after [[.

;;; Code:

(require 'package)
(package-initialize)                    ; Debian's elpa-* packages (eglot on Emacs 28)
(require 'markdown-mode)
(require 'flymake)

(defvar twin-test-timeout 20 "Seconds to wait for the server.")
(defvar twin-test-passed 0)
(defvar twin-test-failed 0)

(defun twin-test-out (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n") #'external-debugging-output))

(defmacro twin-test (name &rest body)
  (declare (indent 1))
  `(condition-case err
       (progn ,@body
              (setq twin-test-passed (1+ twin-test-passed))
              (twin-test-out "ok - %s" ,name))
     (error
      (setq twin-test-failed (1+ twin-test-failed))
      (twin-test-out "not ok - %s: %S" ,name err))))

(defun twin-test-wait (what predicate)
  (let ((deadline (+ (float-time) twin-test-timeout)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (unless (funcall predicate)
      (error "Timed out waiting for %s" what))))

(let ((bin (getenv "TWIN_BIN"))
      (vault (file-name-as-directory (getenv "TWIN_VAULT"))))
  (load (getenv "TWIN_EL") nil t)
  (setq twin-command bin)
  (setq flymake-no-changes-timeout nil)

  (find-file (expand-file-name "Home.md" vault))
  (twin-test-out "# Emacs %s, eglot %s" emacs-version
                 (let ((desc (cadr (assq 'eglot package-alist))))
                   (if desc (package-version-join (package-desc-version desc)) "built in")))
  ;; eglot-ensure connects from post-command-hook, which batch mode never runs.
  (run-hooks 'post-command-hook)

  (twin-test "the vault is its own project root"
    (let ((root (project-root (project-current))))
      (unless (equal (file-name-as-directory (expand-file-name root)) vault)
        (error "Root %s, expected %s" root vault))))

  (twin-test "eglot starts twin lsp for a note in the vault"
    (twin-test-wait "eglot to manage the buffer" (lambda () (bound-and-true-p eglot--managed-mode)))
    (let ((server (eglot-current-server)))
      (unless (equal (plist-get (eglot--server-info server) :name) "twin")
        (error "Server info %S" (eglot--server-info server)))))

  (twin-test "the broken link [[Nowhere]] is a flymake diagnostic"
    (twin-test-wait "the broken-link diagnostic"
                    (lambda ()
                      (flymake-start)
                      (cl-some (lambda (d) (string-match-p "Nowhere" (flymake-diagnostic-text d)))
                               (flymake-diagnostics))))
    (let ((d (cl-find-if (lambda (d) (string-match-p "Nowhere" (flymake-diagnostic-text d)))
                         (flymake-diagnostics))))
      (unless (eq (flymake-diagnostic-type d) 'eglot-error)
        (error "Type %S" (flymake-diagnostic-type d)))
      (unless (equal (buffer-substring (flymake-diagnostic-beg d) (flymake-diagnostic-end d)) "Nowhere")
        (error "Underlines %S" (buffer-substring (flymake-diagnostic-beg d) (flymake-diagnostic-end d))))))

  (twin-test "go to definition on [[Guide]] visits Guide.md"
    (let ((home (current-buffer)))
      (goto-char (point-min))
      (search-forward "[[Guide]]")
      (backward-char 4)
      (xref-find-definitions (xref-backend-identifier-at-point (xref-find-backend)))
      (unless (string-suffix-p "/Guide.md" (or buffer-file-name ""))
        (error "Visiting %s" buffer-file-name))
      (switch-to-buffer home)))

  (twin-test "completion after a typed [[ offers the vault's notes"
    (goto-char (point-max))
    (insert "Next: [[")
    (let* ((capf (eglot-completion-at-point))
           (labels (all-completions "" (nth 2 capf))))
      (dolist (note '("Guide" "Ideas"))
        (unless (member note labels)
          (error "%s not offered: %S" note labels))))
    (set-buffer-modified-p nil))

  (twin-test-out "%d passed, %d failed" twin-test-passed twin-test-failed)
  (ignore-errors (eglot-shutdown (eglot-current-server)))
  (kill-emacs (if (zerop twin-test-failed) 0 1)))

;;; twin-test.el ends here
