// After a failed submission, move the focus to the error summary so that it is read first.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("erreurs");
  if (summary) summary.focus();
});
