// The webview's handle on VS Code, typed by the messages and state each view exchanges.

interface VsCodeApi<Out, State> {
  postMessage(message: Out): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<Out, State>(): VsCodeApi<Out, State>;

/** acquireVsCodeApi may be called once per page; each view calls this once, in its main. */
export function connectToHost<Out, State>(): VsCodeApi<Out, State> {
  return acquireVsCodeApi<Out, State>();
}

/** Calls `handle` for each message the extension host posts (messages from elsewhere have no type). */
export function onHostMessage<In extends { type: string }>(handle: (message: In) => void): void {
  window.addEventListener('message', (event: MessageEvent<In>) => {
    if (event.data && typeof event.data.type === 'string') handle(event.data);
  });
}

/** The URL of the running bundle, to find files shipped next to it (the layout worker). */
export function ownScriptUrl(): string {
  const script = document.currentScript as HTMLScriptElement | null;
  return script?.src ?? document.baseURI;
}
