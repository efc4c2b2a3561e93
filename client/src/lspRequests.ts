// Typed calls of Plumb's custom LSP requests (server/src/protocol.ts), the client's only view of analysis.
import type { BaseLanguageClient } from 'vscode-languageclient';
import {
  GraphChangedNotificationMethod,
  GraphRequestMethod,
  TaskAtRequestMethod,
  TasksRequestMethod,
  type GraphChangedParams,
  type GraphRequestParams,
  type GraphRequestResult,
  type TaskAtRequestParams,
  type TaskAtRequestResult,
  type TasksRequestResult,
} from '../../server/src/protocol';

export function requestGraph(
  client: BaseLanguageClient,
  params: GraphRequestParams,
): Promise<GraphRequestResult> {
  return client.sendRequest<GraphRequestResult>(GraphRequestMethod, params);
}

export function requestTasks(client: BaseLanguageClient): Promise<TasksRequestResult> {
  return client.sendRequest<TasksRequestResult>(TasksRequestMethod, {});
}

export function requestTaskAt(
  client: BaseLanguageClient,
  params: TaskAtRequestParams,
): Promise<TaskAtRequestResult> {
  return client.sendRequest<TaskAtRequestResult>(TaskAtRequestMethod, params);
}

export function onGraphChanged(
  client: BaseLanguageClient,
  handler: (params: GraphChangedParams) => void,
): { dispose(): void } {
  return client.onNotification(GraphChangedNotificationMethod, handler);
}

/** Graph node ids are `${uri}#${family}`; a family name never contains '#', a URI may. */
export function parseNodeId(nodeId: string): { uri: string; family: string } | undefined {
  const hash = nodeId.lastIndexOf('#');
  if (hash <= 0 || hash === nodeId.length - 1) return undefined;
  return { uri: nodeId.slice(0, hash), family: nodeId.slice(hash + 1) };
}
