import { decodeUtf8, isJsonContentType, tryParseJson } from './body-bytes';

export type TBodyMode = 'json' | 'text' | 'hex';

export type TBodyView = {
  modes: TBodyMode[];
  text: string | null;
  json: { ok: true; value: unknown } | { ok: false };
  /** Why a JSON content type is not shown as JSON. */
  jsonProblem: string | null;
};

/** How a body can be shown: pretty JSON when it parses, text when it is UTF-8, hex always. */
export function viewBody(bytes: Uint8Array, contentType: string | null, knownText: string | null, isCut: boolean): TBodyView {
  const text = knownText ?? decodeUtf8(bytes);
  const json = text !== null ? tryParseJson(text) : ({ ok: false } as const);
  const declaredJson = isJsonContentType(contentType);
  const modes: TBodyMode[] = [];
  if (json.ok) modes.push('json');
  if (text !== null) modes.push('text');
  modes.push('hex');
  let jsonProblem: string | null = null;
  if (declaredJson && !json.ok) {
    jsonProblem = isCut
      ? 'Only part of the body is here, so it cannot be parsed as JSON; shown as text.'
      : text === null
        ? 'The content type says JSON, but the body is not UTF-8 text.'
        : 'The content type says JSON, but the body does not parse as JSON.';
  }
  return { modes, text, json, jsonProblem };
}
