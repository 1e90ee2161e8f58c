/** The operations a path item can hold, in the OpenAPI specification's order. */
export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
