// The run webview's entry (placeholder).
export {};
