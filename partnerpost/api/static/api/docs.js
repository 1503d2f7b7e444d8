// Starts Swagger UI on the API docs page. Settings come from a JSON data block, so the page needs no inline script.
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  settings.dom_id = "#swagger-ui";
  settings.presets = [window.SwaggerUIBundle.presets.apis, window.SwaggerUIBundle.SwaggerUIStandalonePreset];
  window.ui = window.SwaggerUIBundle(settings);
})();
