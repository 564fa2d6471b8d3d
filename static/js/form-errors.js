// After a failed submission, move the focus to the error summary so that it is read first
// (templates/includes/forms/error_summary.html, the same on every public form).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("erreurs");
  if (summary) summary.focus();
});
