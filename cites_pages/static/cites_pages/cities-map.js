/* Map of the cités (progressive enhancement): reads the GeoJSON export with the filters
   applied; without JavaScript, or if tiles fail, the list below the map says the same. */
(function () {
  "use strict";
  function init() {
    var el = document.getElementById("cites-map");
    if (!el || typeof window.L === "undefined" || !window.fetch) return;
    fetch(el.dataset.geojson, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        if (!data.features || !data.features.length) return;
        el.classList.add("is-ready");
        // Leaflet's controls speak English: the zoom buttons, the popup's close button and the
        // attribution prefix are made again in French.
        var map = L.map(el, { scrollWheelZoom: false, zoomControl: false });
        L.control.zoom({ zoomInTitle: "Zoom avant", zoomOutTitle: "Zoom arrière" }).addTo(map);
        map.attributionControl.setPrefix('<a href="https://leafletjs.com/" hreflang="en">Leaflet</a>');
        map.on("popupopen", function (event) {
          var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
          if (!close) return;
          close.setAttribute("aria-label", "Fermer la fenêtre");
          close.setAttribute("title", "Fermer la fenêtre");
        });
        L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution }).addTo(map);
        var layer = L.geoJSON(data, {
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, {
              radius: 8, weight: 2, color: "#23313f", fillColor: "#f2b705", fillOpacity: 0.9,
            });
          },
          onEachFeature: function (feature, marker) {
            var p = feature.properties;
            var box = document.createElement("div");
            var link = document.createElement("a");
            link.href = p.adresse_web;
            link.className = "cities-map__link";
            link.textContent = p.nom;
            var strong = document.createElement("strong");
            strong.appendChild(link);
            box.appendChild(strong);
            var details = document.createElement("p");
            details.textContent = [p.communes, p.etat, (p.logements === null || p.logements === undefined ? "Logements : non renseigné" : p.logements + " logements")]
              .concat(p.position_approximative ? ["position approximative"] : [])
              .join(" · ");
            box.appendChild(details);
            marker.bindPopup(box);
            marker.bindTooltip(p.nom);
          },
        }).addTo(map);
        map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 14 });
      })
      .catch(function () { /* the list stays the source of truth */ });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
