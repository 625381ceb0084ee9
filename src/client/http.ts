/** Thrown for every non-2xx answer; `code` is the server's stable error code. */
export class MeshworkApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'MeshworkApiError';
  }
}

export type FetchLike = (input: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => Promise<{
  status: number;
  ok: boolean;
  text(): Promise<string>;
  headers: { get(name: string): string | null };
}>;

export interface ApiOptions {
  baseUrl: string;
  fetch?: FetchLike;
  token?: string;
}

/** Thin JSON-over-HTTP transport; knows nothing of crypto. */
export class ApiClient {
  readonly baseUrl: string;
  private readonly fetchImpl: FetchLike;
  token?: string;

  constructor(options: ApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    // Called through globalThis: a detached window.fetch throws "Illegal invocation" in browsers.
    this.fetchImpl = options.fetch ?? ((input, init) => (globalThis.fetch as unknown as FetchLike)(input, init));
    this.token = options.token;
  }

  withToken(token: string): ApiClient {
    return new ApiClient({ baseUrl: this.baseUrl, fetch: this.fetchImpl, token });
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const response = await this.fetchImpl(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const parsed = text ? safeJson(text) : undefined;
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
      throw new MeshworkApiError(response.status, error?.code ?? 'http_error', error?.message ?? `HTTP ${response.status}`, error?.details);
    }
    return parsed as T;
  }

  get<T>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }
  put<T>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }
  patch<T>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  delete<T>(path: string, body?: unknown) {
    return this.request<T>('DELETE', path, body);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
