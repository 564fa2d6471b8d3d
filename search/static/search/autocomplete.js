/* Title suggestions for the search field, in the field's <datalist>.
   Without JavaScript (or if this fails) the plain search form works as is. */
(function () {
  "use strict";
  var input = document.querySelector("input[data-autocomplete-url]");
  if (!input || !window.fetch) { return; }
  var list = document.getElementById(input.getAttribute("list"));
  if (!list) { return; }
  var url = input.getAttribute("data-autocomplete-url");
  var timer = null;
  var lastQuery = "";
  var controller = null;

  function render(suggestions) {
    list.textContent = "";
    suggestions.forEach(function (item) {
      var option = document.createElement("option");
      option.value = item.title; // text only: never parsed as HTML
      list.appendChild(option);
    });
  }

  function update() {
    var query = input.value.trim();
    if (query.length < 2 || query === lastQuery) { return; }
    lastQuery = query;
    if (controller) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    fetch(url + "?q=" + encodeURIComponent(query), {
      headers: { "Accept": "application/json" },
      signal: controller ? controller.signal : undefined
    })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (data) { render(data.suggestions || []); })
      .catch(function () { /* aborted or offline: keep the plain form */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 200);
  });
})();
