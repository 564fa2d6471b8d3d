// Two-step video embeds: the provider's player (and its cookies) is loaded only after the
// visitor clicks « Charger et lire la vidéo » (CNIL guidance on embedded content).
(function () {
    "use strict";
    function load(container, byKeyboard) {
        var src = container.getAttribute("data-embed-src");
        if (!src || !/^https:\/\//.test(src)) {
            return;
        }
        var frame = document.createElement("iframe");
        frame.src = src;
        frame.title = "Vidéo : " + (container.getAttribute("data-title") || "");
        frame.setAttribute("allow", "autoplay; fullscreen; picture-in-picture; encrypted-media");
        frame.setAttribute("allowfullscreen", "");
        frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
        container.innerHTML = "";
        container.appendChild(frame);
        container.classList.add("video-consent--loaded");
        if (byKeyboard) {
            // The button is gone: keyboard users continue in the player.
            frame.focus();
        }
    }
    document.addEventListener("click", function (event) {
        var button = event.target.closest && event.target.closest(".video-consent__play");
        if (button) {
            load(button.closest(".video-consent"), event.detail === 0);
        }
    });
})();
