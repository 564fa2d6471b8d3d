// A filter box above a long list of checkboxes (the ~250 communes of a segment's form,
// mailing/admin/segments.py). Without this script the list is shown whole, as before. Typing
// hides the boxes whose name does not contain what is typed, accents and case aside; hidden
// boxes keep their tick and are submitted (hidden is not disabled). How many are shown is said
// in a polite live region.
const FILTERED_LISTS = [{ id: "id_communes", label: "Filtrer les communes", one: "commune" }];

// « Hénin-Beaumont » → « henin beaumont »: what is typed and the names are compared so.
const folded = (text) =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[\s\-'’]+/g, " ")
    .trim();

const shownLabel = (shown, hiddenTicked, one) => {
  const plural = shown > 1 ? "s" : "";
  let text = shown
    ? `${shown}\u00a0${one}${plural} affichée${plural}`
    : `Aucune ${one} ne correspond`;
  if (hiddenTicked) {
    const s = hiddenTicked > 1 ? "s" : "";
    text += ` (${hiddenTicked}\u00a0cochée${s} masquée${s}, toujours retenue${s})`;
  }
  return `${text}.`;
};

const addCheckboxFilter = (list, { label, one }) => {
  const items = [...list.children].map((item) => ({
    item,
    name: folded(item.textContent),
    box: item.querySelector("input[type=checkbox]"),
  }));
  const box = document.createElement("div");
  box.className = "checkbox-filter";
  const field = document.createElement("label");
  field.htmlFor = `${list.id}_filter`;
  field.textContent = label;
  const input = document.createElement("input");
  input.type = "search";
  input.id = field.htmlFor;
  input.autocomplete = "off";
  const status = document.createElement("p");
  status.id = `${list.id}_filter_status`;
  status.setAttribute("aria-live", "polite");
  input.setAttribute("aria-describedby", status.id);
  box.append(field, input, status);
  list.before(box);

  const apply = () => {
    const wanted = folded(input.value);
    let shown = 0;
    let hiddenTicked = 0;
    for (const { item, name, box: checkbox } of items) {
      item.hidden = !name.includes(wanted);
      if (!item.hidden) shown += 1;
      else if (checkbox?.checked) hiddenTicked += 1;
    }
    status.textContent = shownLabel(shown, hiddenTicked, one);
  };
  input.addEventListener("input", apply);
  apply();
};

const startCheckboxFilters = () => {
  for (const options of FILTERED_LISTS) {
    const list = document.getElementById(options.id);
    if (list) addCheckboxFilter(list, options);
  }
};

// Wagtail's admin loads scripts before the page's content.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", startCheckboxFilters);
} else {
  startCheckboxFilters();
}
