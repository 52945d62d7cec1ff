/* global document, window, SwaggerUIBundle */
// Starts Swagger UI on the API reference page: the spec URL comes from the page's markup, so
// the page needs no inline script. Read-only: calls need DPoP proofs a browser cannot make for
// you, so "Try it out" would only mislead (the getting-started guide explains how to call).
(function () {
  'use strict';
  var element = document.getElementById('swagger-ui');
  if (!element || typeof SwaggerUIBundle !== 'function') return;
  window.ui = SwaggerUIBundle({
    url: element.getAttribute('data-spec-url'),
    domNode: element,
    deepLinking: true,
    tryItOutEnabled: false,
    supportedSubmitMethods: [],
    // No call to the public validator service: nothing leaves this origin.
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    docExpansion: 'list',
    defaultModelsExpandDepth: 0,
    defaultModelExpandDepth: 2,
    displayOperationId: true,
    showExtensions: true,
    showCommonExtensions: true,
    displayRequestDuration: false,
    filter: false,
  });
})();
