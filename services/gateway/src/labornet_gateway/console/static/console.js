// The console works without script; this file only adds conveniences (CSP: script-src 'self').
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-print]");
  if (target) {
    window.print();
  }
});
document.addEventListener("submit", (event) => {
  // One submission per form: a double click must not send the same filing twice.
  const form = event.target;
  if (form.dataset.submitted) {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "1";
});
