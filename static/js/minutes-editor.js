// The minutes editor: autosaved forms show "Saving…" while a save is under way; a conflict (409)
// or a refused value (422) is shown in the part's status instead of being dropped; a form that
// adds a part is emptied once the part is added.
(function () {
  if (!window.htmx) return;
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "409", swap: true, error: false },
    { code: "422", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
  ];
  var saving = document.documentElement.lang === "en" ? "Saving…" : "Menyimpan…";
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest && event.target.closest("form[data-autosave]");
    if (!form || event.target !== form) return;
    var status = form.querySelector(".minutes-status");
    if (status && !status.querySelector("[data-conflict]")) status.textContent = saving;
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form[data-reset-on-success]") && event.detail.successful && event.detail.xhr.status === 200) {
      form.reset();
      var status = form.querySelector("[role=status]");
      if (status) status.textContent = "";
    }
  });
})();
