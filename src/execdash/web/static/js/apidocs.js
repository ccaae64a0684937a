// The API reference at /docs: Swagger UI from npm, served by this server, reading /openapi.json.
const root = document.getElementById("swagger-ui");

globalThis.SwaggerUIBundle({
  url: root.dataset.openapiUrl,
  domNode: root,
  deepLinking: true,
  validatorUrl: null, // the default validator badge would call a public service
  tryItOutEnabled: false,
  defaultModelsExpandDepth: 0,
  docExpansion: "list",
  onComplete: () => document.body.setAttribute("data-loaded", "docs"),
});
