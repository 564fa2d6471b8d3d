/* The header's disclosure menu on narrow screens (the « Menu » button). Without JavaScript the
   button stays hidden and the search and the menu show as a plain list below the brand; the CSS
   collapses the panel once this script has marked the page (.js on <html>). It is loaded in the
   <head> without `defer`, so that the mark is there before the first paint: marked later, the
   open menu showed, then collapsed (Lighthouse measured a layout shift of 0.44 on phones). */
document.documentElement.classList.add("js");
(function () {
  "use strict";
  function init() {
    var header = document.querySelector(".site-header");
    var button = header && header.querySelector(".menu-toggle");
    var panel = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!panel) return;
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      panel.classList.toggle("is-open", open);
    }
    button.hidden = false;
    header.classList.add("site-header--js");
    setOpen(false);
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    // Escape closes the open menu and gives the focus back to its button (WAI-ARIA disclosure).
    header.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
      setOpen(false);
      button.focus();
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
