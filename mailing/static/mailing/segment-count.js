// The live count of a segment's form (mailing/admin/segments.py): each change of a criterion
// asks the count endpoint again (ids and codes only, never the segment's name), 300 ms after
// the last tick; « Compter » asks at once. Without this script, « Compter » posts the form,
// which comes back with the count. It also counts once on load (boxes the browser restored).
const startSegmentCount = () => {
  const box = document.querySelector("[data-segment-count-url]");
  if (!box) return;
  const form = box.closest("form");
  const output = box.querySelector("[data-segment-count-output]");
  const fields = box.dataset.segmentCriteria.split(" ");
  let timer = null;
  let pending = null;

  const show = (text, strong) => {
    output.replaceChildren();
    if (strong) {
      const count = document.createElement("strong");
      count.textContent = strong;
      output.append(count);
    }
    output.append(text);
  };

  const update = async () => {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (fields.includes(name)) params.append(name, value);
    }
    pending?.abort();
    pending = new AbortController();
    try {
      const response = await fetch(`${box.dataset.segmentCountUrl}?${params}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: pending.signal,
      });
      const data = await response.json();
      if (response.ok) {
        show(" pour ces critères (abonnés confirmés de la liste choisie).", data.label);
      } else {
        show(data.error || "Le nombre n’a pas pu être calculé.");
      }
    } catch (error) {
      if (error.name !== "AbortError") {
        show("Le nombre n’a pas pu être calculé\u00a0: réessayez avec «\u00a0Compter\u00a0».");
      }
    }
  };

  form.addEventListener("change", (event) => {
    if (!fields.includes(event.target.name)) return;
    clearTimeout(timer);
    timer = setTimeout(update, 300);
  });
  box.querySelector("button[name=count]").addEventListener("click", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    update();
  });
  // Boxes ticked before this script ran, or restored by the browser on « back »: count them.
  update();
};

// Wagtail's admin loads scripts before the page's content.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", startSegmentCount);
} else {
  startSegmentCount();
}
