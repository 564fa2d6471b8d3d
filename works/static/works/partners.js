// « Copier le code » on the partner kit page: shown only when the clipboard can be written;
// without it (or without JavaScript) the code stays selectable in its field.
document.querySelectorAll("[data-copy]").forEach((button) => {
  if (!navigator.clipboard) return;
  const field = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector("[role=status]");
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.clipboard.writeText(field.value).then(
      () => { status.textContent = "Code copié."; },
      () => { field.select(); status.textContent = "Copie impossible : sélectionnez le code et copiez-le."; },
    );
  });
});
