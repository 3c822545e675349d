// Shows the chosen picture next to its file field before the form is saved, so an editor
// sees what they picked (read locally as a data: URL, which the CSP allows for images).
"use strict";
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.classList.contains("picture-upload")) {
    return;
  }
  let preview = input.parentElement.querySelector("img.picture-upload-preview");
  const file = input.files && input.files[0];
  if (!file || !file.type.startsWith("image/")) {
    if (preview) preview.remove();
    return;
  }
  if (!preview) {
    preview = document.createElement("img");
    preview.className = "picture-upload-preview";
    preview.alt = "The chosen picture";
    preview.width = 160;
    input.after(preview);
  }
  const reader = new FileReader();
  reader.addEventListener("load", () => { preview.src = reader.result; });
  reader.readAsDataURL(file);
});
