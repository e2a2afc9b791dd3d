// Starts Swagger UI on the portal's own OpenAPI document (no inline script: strict CSP).
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.getAttribute("data-schema-url"),
    domNode: root,
    deepLinking: false,
    tryItOutEnabled: false,
    supportedSubmitMethods: [],
    validatorUrl: null,
  });
})();
