// The seed description every mutated pair starts from: a small shop API that uses each construct the diff
// rules look at — path, query, header and cookie parameters; request and response bodies with nested
// objects, arrays and maps; enums, formats, bounds, patterns, defaults; readOnly and writeOnly properties in
// a schema used both ways; allOf, oneOf with a discriminator, anyOf; response headers; security schemes,
// global and per-operation security; tags, operationIds, stability levels, deprecation with sunset dates;
// component schemas; and, in 3.1, type lists, const, prefixItems, if/then, dependentRequired and webhooks.
// `seed("3.0")` and `seed("3.1")` write the same API in each version's idiom (nullable vs a "null" type).

export type OpenApiVersion = "3.0" | "3.1";
// Documents are built and edited freely here; `any` keeps the catalogue readable.
export type Json = Record<string, any>;

/** `YYYY-MM-DD`, `days` from `today`. */
export function dayFrom(today: string, days: number): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A nullable schema in the version's idiom. */
export function nullable(version: OpenApiVersion, schema: Json): Json {
  if (version === "3.0") return { ...schema, nullable: true };
  return { ...schema, type: [schema.type, "null"] };
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json): Json => ({ "application/json": { schema } });

export function seed(version: OpenApiVersion, today: string): Json {
  const v31 = version === "3.1";
  const errorResponse = { description: "Problem", content: json(ref("Error")) };
  const doc: Json = {
    openapi: v31 ? "3.1.0" : "3.0.3",
    info: { title: "Shop API", version: "1.4.0" },
    servers: [{ url: "https://api.example.com/v1" }],
    security: [{ oauth: ["read"] }],
    tags: [{ name: "products" }, { name: "orders" }, { name: "customers" }],
    paths: {
      "/products": {
        get: {
          tags: ["products"],
          operationId: "listProducts",
          parameters: [
            { name: "limit", in: "query", schema: { type: "integer", format: "int32", minimum: 1, maximum: 100, default: 20 } },
            { name: "sort", in: "query", schema: { type: "string", enum: ["name", "price", "created"] } },
            { name: "tag", in: "query", schema: { type: "array", items: { type: "string", maxLength: 30 }, maxItems: 5 } },
            { name: "q", in: "query", schema: { type: "string", minLength: 2, maxLength: 50, pattern: "^[\\w ]+$" } },
            { name: "X-Request-Id", in: "header", schema: { type: "string", format: "uuid" } },
            { name: "session", in: "cookie", schema: { type: "string" } },
          ],
          responses: {
            "200": {
              description: "A page of products",
              headers: {
                "X-Rate-Limit": { required: true, schema: { type: "integer", minimum: 0 } },
                "X-Next-Cursor": { schema: { type: "string", maxLength: 64 } },
              },
              content: json({
                type: "object",
                required: ["items"],
                properties: { items: { type: "array", items: ref("Product"), maxItems: 100 }, total: { type: "integer", minimum: 0 } },
              }),
            },
            "400": errorResponse,
          },
        },
        post: {
          tags: ["products"],
          operationId: "createProduct",
          security: [{ oauth: ["write"] }, { apiKey: [] }],
          requestBody: { required: true, content: json(ref("ProductInput")) },
          responses: { "201": { description: "Created", content: json(ref("Product")) }, "422": errorResponse },
        },
      },
      "/products/{productId}": {
        parameters: [{ name: "productId", in: "path", required: true, schema: { type: "string", pattern: "^[a-z0-9-]+$", maxLength: 64 } }],
        get: {
          tags: ["products"],
          operationId: "getProduct",
          responses: { "200": { description: "The product", content: json(ref("Product")) }, "404": errorResponse },
        },
        put: {
          tags: ["products"],
          operationId: "replaceProduct",
          requestBody: { required: true, content: json(ref("ProductInput")) },
          responses: { "200": { description: "Replaced", content: json(ref("Product")) } },
        },
        delete: { tags: ["products"], operationId: "deleteProduct", responses: { "204": { description: "Deleted" } } },
      },
      "/orders": {
        get: {
          tags: ["orders"],
          operationId: "listOrders",
          parameters: [
            { name: "status", in: "query", required: true, schema: { type: "string", enum: ["open", "paid", "cancelled"] } },
            { name: "since", in: "query", schema: { type: "string", format: "date" } },
          ],
          responses: {
            "200": {
              description: "Orders",
              content: json({ type: "object", properties: { orders: { type: "array", items: ref("Order") } } }),
            },
          },
        },
        post: {
          tags: ["orders"],
          operationId: "createOrder",
          requestBody: { required: true, content: json(ref("OrderRequest")) },
          responses: { "201": { description: "Created", content: json(ref("Order")) }, "400": errorResponse },
        },
      },
      "/orders/{orderId}": {
        get: {
          tags: ["orders"],
          operationId: "getOrder",
          parameters: [{ name: "orderId", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
          responses: {
            "200": { description: "The order", content: { ...json(ref("Order")), "application/xml": { schema: ref("Order") } } },
            "404": errorResponse,
          },
        },
      },
      "/customers": {
        post: {
          tags: ["customers"],
          operationId: "createCustomer",
          requestBody: { required: true, content: json(ref("Customer")) },
          responses: { "201": { description: "Created", content: json(ref("Customer")) } },
        },
      },
      "/customers/{customerId}": {
        patch: {
          tags: ["customers"],
          operationId: "updateCustomer",
          parameters: [{ name: "customerId", in: "path", required: true, schema: { type: "integer", format: "int64" } }],
          requestBody: { content: { "application/json": { schema: ref("CustomerPatch") }, "application/x-www-form-urlencoded": { schema: ref("CustomerPatch") } } },
          responses: { "200": { description: "Updated", content: json(ref("Customer")) } },
        },
      },
      "/reports/daily": {
        get: {
          tags: ["orders"],
          operationId: "dailyReport",
          deprecated: true,
          "x-sunset": dayFrom(today, 400),
          responses: { "200": { description: "CSV", content: { "text/csv": { schema: { type: "string" } } } } },
        },
      },
      "/reports/legacy": {
        get: {
          tags: ["orders"],
          operationId: "legacyReport",
          deprecated: true,
          "x-sunset": dayFrom(today, -400),
          responses: { "200": { description: "CSV", content: { "text/csv": { schema: { type: "string" } } } } },
        },
      },
      "/beta/recommendations": {
        get: {
          tags: ["products"],
          operationId: "recommendations",
          "x-stability-level": "beta",
          parameters: [{ name: "for", in: "query", schema: { type: "string" } }],
          responses: { "200": { description: "Suggestions", content: json({ type: "array", items: ref("Product") }) } },
        },
      },
      "/search": {
        post: {
          tags: ["products"],
          operationId: "search",
          requestBody: { content: json(ref("SearchQuery")) },
          responses: { "200": { description: "Hits", content: json(ref("SearchResult")) } },
        },
      },
      "/health": {
        get: {
          operationId: "health",
          security: [],
          responses: { "200": { description: "Up", content: { "text/plain": { schema: { type: "string", enum: ["ok"] } } } } },
        },
      },
    },
    components: {
      securitySchemes: {
        oauth: {
          type: "oauth2",
          flows: {
            authorizationCode: {
              authorizationUrl: "https://auth.example.com/authorize",
              tokenUrl: "https://auth.example.com/token",
              scopes: { read: "Read the catalogue", write: "Change the catalogue", admin: "Everything" },
            },
          },
        },
        apiKey: { type: "apiKey", in: "header", name: "X-API-Key" },
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
      },
      schemas: {
        Product: {
          type: "object",
          required: ["id", "name", "price", "status"],
          properties: {
            id: { type: "string", readOnly: true },
            name: { type: "string", minLength: 1, maxLength: 200 },
            price: { type: "number", minimum: 0, maximum: 100000 },
            currency: { type: "string", enum: ["EUR", "USD", "GBP"], default: "EUR" },
            status: { type: "string", enum: ["draft", "active", "archived"] },
            stock: { type: "integer", format: "int32", minimum: 0 },
            tags: { type: "array", items: { type: "string" }, maxItems: 10, uniqueItems: true },
            dimensions: ref("Dimensions"),
            description: nullable(version, { type: "string", maxLength: 2000 }),
            attributes: { type: "object", additionalProperties: { type: "string" }, maxProperties: 20 },
            legacyCode: { type: "string", deprecated: true },
            createdAt: { type: "string", format: "date-time" },
          },
        },
        ProductInput: {
          type: "object",
          required: ["name", "price"],
          properties: {
            name: { type: "string", minLength: 1, maxLength: 200 },
            price: { type: "number", minimum: 0, maximum: 100000 },
            currency: { type: "string", enum: ["EUR", "USD", "GBP"], default: "EUR" },
            stock: { type: "integer", format: "int32", minimum: 0 },
            tags: { type: "array", items: { type: "string", maxLength: 30 }, maxItems: 10 },
            dimensions: ref("Dimensions"),
            description: nullable(version, { type: "string", maxLength: 2000 }),
            sku: { type: "string", pattern: "^[A-Z]{3}-[0-9]{4}$" },
            weight: { type: "number", multipleOf: 0.5 },
          },
        },
        Dimensions: {
          type: "object",
          required: ["width", "height"],
          properties: {
            width: { type: "number", minimum: 0 },
            height: { type: "number", minimum: 0 },
            unit: { type: "string", enum: ["cm", "in"] },
          },
        },
        OrderRequest: {
          type: "object",
          required: ["lines", "payment"],
          properties: {
            lines: { type: "array", minItems: 1, items: ref("OrderLine") },
            payment: ref("Payment"),
            coupon: { type: "string", minLength: 4, maxLength: 16 },
            note: nullable(version, { type: "string" }),
            delivery: { anyOf: [ref("Address"), ref("PickupPoint")] },
          },
        },
        OrderLine: {
          type: "object",
          required: ["productId", "quantity"],
          properties: {
            productId: { type: "string" },
            quantity: { type: "integer", minimum: 1, maximum: 999 },
          },
        },
        Order: {
          allOf: [
            ref("OrderRequest"),
            {
              type: "object",
              required: ["id", "status", "total"],
              properties: {
                id: { type: "string", format: "uuid" },
                status: { type: "string", enum: ["open", "paid", "cancelled"] },
                total: { type: "number", minimum: 0 },
                paidAt: nullable(version, { type: "string", format: "date-time" }),
              },
            },
          ],
        },
        Payment: {
          oneOf: [ref("CardPayment"), ref("BankPayment")],
          discriminator: {
            propertyName: "kind",
            mapping: { card: "#/components/schemas/CardPayment", bank: "#/components/schemas/BankPayment" },
          },
        },
        CardPayment: {
          type: "object",
          required: ["kind", "last4"],
          properties: { kind: { type: "string" }, last4: { type: "string", pattern: "^[0-9]{4}$" }, expires: { type: "string" } },
        },
        BankPayment: {
          type: "object",
          required: ["kind", "iban"],
          properties: { kind: { type: "string" }, iban: { type: "string", maxLength: 34 }, bic: { type: "string" } },
        },
        Address: {
          type: "object",
          required: ["street", "city", "country"],
          properties: { street: { type: "string" }, city: { type: "string" }, country: { type: "string", minLength: 2, maxLength: 2 }, zip: { type: "string" } },
        },
        PickupPoint: {
          type: "object",
          required: ["pointId"],
          properties: { pointId: { type: "string" }, openingHours: { type: "string" } },
        },
        Customer: {
          type: "object",
          required: ["email", "name"],
          properties: {
            id: { type: "integer", format: "int64", readOnly: true },
            email: { type: "string", format: "email", maxLength: 254 },
            name: { type: "string", maxLength: 100 },
            password: { type: "string", writeOnly: true, minLength: 12 },
            marketingOptIn: { type: "boolean", default: false },
            tier: { type: "string", enum: ["basic", "gold"], readOnly: true },
            phone: { type: "string", pattern: "^\\+[0-9]+$" },
            address: ref("Address"),
          },
        },
        CustomerPatch: {
          type: "object",
          minProperties: 1,
          properties: { name: { type: "string", maxLength: 100 }, phone: { type: "string" }, marketingOptIn: { type: "boolean" } },
        },
        SearchQuery: {
          type: "object",
          properties: {
            text: { type: "string", maxLength: 200 },
            filters: { type: "array", items: { type: "string" }, uniqueItems: true },
            page: { type: "integer", minimum: 1 },
            ...(v31
              ? {
                  range: { type: "array", prefixItems: [{ type: "number" }, { type: "number" }] },
                  mode: { type: ["string", "integer"] },
                  fuzzy: { type: "boolean" },
                }
              : { fuzzy: { type: "boolean" } }),
          },
          ...(v31 ? { dependentRequired: { fuzzy: ["text"] } } : {}),
        },
        SearchResult: {
          type: "object",
          required: ["hits"],
          properties: {
            hits: { type: "array", items: ref("Product") },
            took: { type: "integer", format: "int32" },
            ...(v31 ? { engine: { const: "v2" }, score: { type: ["number", "null"], exclusiveMinimum: 0 } } : { score: { type: "number", minimum: 0, exclusiveMinimum: true } }),
          },
        },
        Error: {
          type: "object",
          required: ["code", "message"],
          properties: { code: { type: "integer" }, message: { type: "string" }, details: { type: "array", items: { type: "string" } } },
        },
      },
    },
  };
  if (v31) {
    doc.webhooks = {
      productChanged: {
        post: {
          requestBody: { content: json(ref("Product")) },
          responses: { "200": { description: "Received" } },
        },
      },
    };
  }
  return doc;
}
