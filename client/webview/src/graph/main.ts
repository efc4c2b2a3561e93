// The graph webview's entry (placeholder).
export {};
