// The import preview: picking a film in a line's box also chooses "Another film" for that
// line, so the two never disagree on screen (the server reads the box either way).
"use strict";
window.addEventListener("load", () => {
  if (!window.django || !django.jQuery) return;
  django.jQuery(document).on("change", "#import-entries select[name^='film-']", (event) => {
    const position = event.target.name.slice("film-".length);
    const choice = document.querySelector(`#import-entries select[name='choice-${position}']`);
    if (choice && event.target.value) choice.value = "other";
  });
});
