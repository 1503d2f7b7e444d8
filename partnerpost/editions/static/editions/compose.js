// Drag and drop for the edition composer. The arrow buttons do the same without a mouse;
// this script only adds dragging and saves the new order in one request.
(function () {
  "use strict";
  const layout = document.getElementById("layout");
  if (!layout || layout.dataset.editable !== "true") return;
  const status = document.getElementById("order-status");
  let dragged = null;

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function currentLayout() {
    return Array.from(layout.querySelectorAll(".entry-list")).map(function (list) {
      return {
        id: Number(list.dataset.sectionId),
        entries: Array.from(list.querySelectorAll("[data-entry-id]")).map(function (li) { return Number(li.dataset.entryId); })
      };
    });
  }

  function save() {
    status.textContent = "Saving…";
    fetch(layout.dataset.reorderUrl, {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
      credentials: "same-origin",
      body: JSON.stringify({sections: currentLayout()})
    }).then(function (response) {
      return response.json().then(function (data) { return {ok: response.ok, data: data}; });
    }).then(function (result) {
      status.textContent = result.ok ? result.data.message : result.data.error;
      status.classList.toggle("is-error", !result.ok);
    }).catch(function () {
      status.textContent = "The new order could not be saved. Reload the page.";
      status.classList.add("is-error");
    });
  }

  function itemAfter(list, y) {
    const items = Array.from(list.querySelectorAll("[data-entry-id]:not(.is-dragging)"));
    return items.find(function (li) {
      const box = li.getBoundingClientRect();
      return y < box.top + box.height / 2;
    }) || null;
  }

  layout.addEventListener("dragstart", function (event) {
    const li = event.target.closest("[data-entry-id]");
    if (!li) return;
    dragged = li;
    li.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", li.dataset.entryId);
  });

  layout.addEventListener("dragover", function (event) {
    const list = event.target.closest(".entry-list");
    if (!dragged || !list) return;
    event.preventDefault();
    const after = itemAfter(list, event.clientY);
    if (after) list.insertBefore(dragged, after); else list.appendChild(dragged);
  });

  layout.addEventListener("drop", function (event) {
    if (dragged) event.preventDefault();
  });

  layout.addEventListener("dragend", function () {
    if (!dragged) return;
    dragged.classList.remove("is-dragging");
    dragged = null;
    layout.querySelectorAll(".compose-empty").forEach(function (li) {
      if (li.parentElement.querySelector("[data-entry-id]")) li.remove();
    });
    save();
  });
})();
