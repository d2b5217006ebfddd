;;; eglot.el --- pyloom in GNU Emacs with eglot, as a user would use it  -*- lexical-binding: t -*-

;; Run by tests/tests/eglot.rs as `emacs --batch -q --no-site-file -l eglot.el` (no init files; Debian's site-lisp packages stay visible) with
;; PYLOOM_BIN (the server), PYLOOM_PROJECT (a copy of fixtures/demo) and
;; PYLOOM_TEST_DIR (where the transcript and the server log go). Each step
;; records "ok NAME" or "FAILED NAME: why" and the next step runs anyway, so
;; one fault does not hide the others; the driver compares the transcript.
;; Waiting is always for a condition, bounded by a timeout, never a sleep.

;; Packages as a user's Emacs has them: Debian's elpa-eglot (Emacs 28) from
;; the system package directory, none from the user's own.
(require 'package)
(setq package-user-dir (expand-file-name "elpa" (getenv "PYLOOM_TEST_DIR")))
(package-initialize)
(require 'eglot)
(require 'project)
(require 'xref)
(require 'cl-lib)

(defvar pyloom-dir (getenv "PYLOOM_TEST_DIR"))
(defvar pyloom-project (file-name-as-directory (getenv "PYLOOM_PROJECT")))
(defvar pyloom-timeout 30)
(defvar pyloom-transcript (expand-file-name "transcript" pyloom-dir))
(defvar pyloom-server nil)

(defun pyloom-record (line)
  (write-region (concat line "\n") nil pyloom-transcript 'append 'quiet))

(defun pyloom-wait (what pred)
  "Waits until PRED returns non-nil and returns it; signals after the timeout."
  (let ((deadline (+ (float-time) pyloom-timeout)) value)
    (while (and (not (setq value (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.02))
    (or value (error "timed out waiting for %s" what))))

(defun pyloom-check (ok what)
  (unless ok (error "%s" what)))

(defmacro pyloom-step (name &rest body)
  (declare (indent 1))
  (let ((step (make-symbol "step")))
    `(let ((,step ,name))
       (condition-case err
           (progn ,@body (pyloom-record (concat "ok " ,step)))
         (error (pyloom-record (format "FAILED %s: %s" ,step (error-message-string err))))))))

(defun pyloom-capable (capability)
  "Whether the server advertised CAPABILITY in its initialize answer."
  (and pyloom-server (plist-get (eglot--capabilities pyloom-server) capability)))

(defun pyloom-visit (file)
  "Visits FILE of the project; eglot manages it once the server runs."
  (find-file (expand-file-name file pyloom-project)))

(defun pyloom-goto (line text)
  "Moves point to the first TEXT on LINE (1-based)."
  (goto-char (point-min))
  (forward-line (1- line))
  (pyloom-check (search-forward text (line-end-position) t) (format "%S on line %d" text line))
  (goto-char (match-beginning 0)))

(defun pyloom-request (method params)
  (jsonrpc-request pyloom-server method params :timeout pyloom-timeout))

;; The demo is its own project (a transient one: no VC root), as a folder of
;; scripts opened in Emacs would be; the repository around it is not.
(add-hook 'project-find-functions (lambda (_dir) (cons 'transient pyloom-project)))
(setq eglot-server-programs
      `((python-mode . (,(getenv "PYLOOM_BIN") "serve" "--log-level" "debug"
                        "--log-file" ,(expand-file-name "server.log" pyloom-dir)))))
;; Messages from the server (window/logMessage, showMessage) on stderr
;; would clutter the test output.
(setq inhibit-message t)

;; Which messages eglot sends, to see that `exit` follows `shutdown`.
(defvar pyloom-notified nil)
(advice-add 'jsonrpc-notify :before
            (lambda (_conn method &rest _) (push method pyloom-notified)))

(pyloom-step "eglot starts pyloom serve for a Python file of the project"
  (pyloom-visit "app.py")
  (apply #'eglot (eglot--guess-contact))
  (setq pyloom-server (pyloom-wait "eglot to connect"
                                   (lambda () (let ((s (eglot-current-server)))
                                                (and s (eglot--server-info s) s)))))
  (pyloom-check (equal (plist-get (eglot--server-info pyloom-server) :name) "pyloom")
                (format "server info %S" (eglot--server-info pyloom-server)))
  (pyloom-check (equal (project-root (eglot--project pyloom-server)) pyloom-project) "project root"))

(pyloom-step "diagnostics reach flymake with their rule codes"
  (pyloom-visit "shop/storage.py")
  (pyloom-check (eglot-managed-p) "storage.py is managed by eglot")
  (let ((texts (pyloom-wait "S506 in flymake"
                            (lambda ()
                              (flymake-start)
                              (let ((texts (mapcar #'flymake-diagnostic-text (flymake-diagnostics))))
                                (and (cl-some (lambda (text) (string-match-p "\\[S506\\]" text)) texts)
                                     texts))))))
    (pyloom-check (cl-some (lambda (text) (string-match-p "\\[S506\\]: .*yaml" text)) texts)
                  (format "diagnostics %S" texts))))

(pyloom-step "hover shows the graph's explanation, in plain text as eglot asks"
  (pyloom-visit "app.py")
  ;; `s.order_total(...)`, re-exported by shop/__init__.py from shop.pricing.
  (pyloom-goto 9 "order_total")
  (let* ((hover (pyloom-request :textDocument/hover (eglot--TextDocumentPositionParams)))
         (contents (plist-get hover :contents))
         (text (and contents (eglot--hover-info contents))))
    (pyloom-check text "a hover answer")
    (pyloom-check (string-match-p "Sum of the items' costs plus shipping." text) (format "docstring in %S" text))
    ;; Without markdown-mode eglot offers only "plaintext": no Markdown
    ;; markup may reach the user.
    (pyloom-check (equal (append (plist-get (plist-get (plist-get (eglot-client-capabilities pyloom-server)
                                                                  :textDocument)
                                                       :hover)
                                            :contentFormat)
                                 nil)
                         '("plaintext"))
                  "eglot asks for plain text")
    (pyloom-check (not (or (string-match-p "```" text)
                           (and (listp contents) (equal (plist-get contents :kind) "markdown"))))
                  (format "Markdown in a plain-text hover (kind %s)" (plist-get contents :kind)))))

(pyloom-step "go to definition jumps across files"
  (pyloom-visit "app.py")
  (pyloom-goto 9 "order_total")
  (xref-find-definitions (xref-backend-identifier-at-point (xref-find-backend)))
  (pyloom-check (equal (buffer-file-name) (expand-file-name "shop/pricing.py" pyloom-project))
                (format "jumped to %s" (buffer-file-name)))
  (pyloom-check (looking-at "total(") (format "point at %S" (buffer-substring (point) (line-end-position)))))

(pyloom-step "several changes in one didChange, multi-byte text included, keep the server in sync"
  (pyloom-visit "app.py")
  (let ((version-before eglot--versioned-identifier))
    (goto-char (point-max))
    (insert "\n# prix: 5 € — 🐍\n")
    (pyloom-goto 1 "Command")
    (insert "Naïve ")
    (goto-char (point-max))
    (insert "total = s.order_total([], shipping=1)  # ünïcode\n")
    (eglot--signal-textDocument/didChange)
    (pyloom-check (> eglot--versioned-identifier (1+ version-before)) "the version jumps by the number of changes")
    (let ((expected (buffer-substring-no-properties (point-min) (point-max))))
      (pyloom-wait "the server's copy to match the buffer"
                   (lambda ()
                     (equal (plist-get (pyloom-request :pyloom/viewFile
                                                       `(:textDocument ,(eglot--TextDocumentIdentifier)))
                                       :text)
                            expected))))))

(pyloom-step (if (pyloom-capable :completionProvider)
                 "completion after `s.` offers the module's members"
               "the server does not advertise completion")
  (when (pyloom-capable :completionProvider)
    (pyloom-visit "app.py")
    (goto-char (point-max))
    (insert "s.order_to")
    (eglot--signal-textDocument/didChange)
    (let* ((capf (eglot-completion-at-point))
           (candidates (all-completions "order_to" (nth 2 capf))))
      (pyloom-check (member "order_total" candidates) (format "candidates %S" candidates)))
    (delete-region (line-beginning-position) (point))))

(pyloom-step (if (pyloom-capable :renameProvider)
                 "rename changes the definition and its uses"
               "the server does not advertise rename")
  (when (pyloom-capable :renameProvider)
    (pyloom-visit "app.py")
    (pyloom-goto 7 "main")
    (eglot-rename "run")
    (pyloom-check (string-match-p "def run() -> None:" (buffer-string)) "the definition renamed")
    (pyloom-check (string-match-p "^    run()$" (buffer-string)) "the call renamed")))

(pyloom-step "shutdown (params null) is answered and exit follows"
  (let ((server pyloom-server))
    (setq pyloom-notified nil)
    ;; Buffers kept: the changed ones are not saved, nothing asks.
    (eglot-shutdown server nil pyloom-timeout t)
    (pyloom-check (eq (car pyloom-notified) :exit) (format "notifications sent %S" pyloom-notified))
    (pyloom-check (not (jsonrpc-running-p server)) "the server is gone")))

(kill-emacs 0)
