// Example pipelines type-check against the runtime's public API.
export {};
