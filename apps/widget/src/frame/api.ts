import type {
  CallbackRequestBody,
  LeaveMessageBody,
  StartConversationBody,
  WidgetAttachment,
  WidgetConversation,
  WidgetKbArticle,
  WidgetKbDeflectionBody,
  WidgetKbSearchResult,
  WidgetMessage,
  WidgetPublicConfig,
  WidgetVisitor,
  WidgetVisitorBody,
} from '@seva/contracts';

/** The visitor API (/widget/v1) as the frame uses it: same origin, the visitor token in a header. */
const BASE = '/widget/v1';

/** One help-centre hit (packages/contracts WidgetArticleHit); the snippet is escaped HTML with <mark>s. */
export interface WidgetArticleHit {
  id: string;
  title: string;
  snippet: string;
  url: string;
  language: string;
}

export class WidgetApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface WidgetApi {
  token: string | null;
  getConfig(key: string): Promise<WidgetPublicConfig>;
  startVisitor(body: WidgetVisitorBody): Promise<WidgetVisitor>;
  listConversations(): Promise<WidgetConversation[]>;
  startConversation(body: StartConversationBody): Promise<{ conversation: WidgetConversation; message: WidgetMessage }>;
  uploadFile(file: File): Promise<WidgetAttachment>;
  fetchAttachment(url: string): Promise<Blob>;
  emailTranscript(conversationId: string, email?: string): Promise<void>;
  leaveMessage(body: LeaveMessageBody): Promise<{ ticketNumber: number }>;
  requestCallback(body: CallbackRequestBody): Promise<{ ticketNumber: number }>;
  searchArticles(key: string, q: string, lang: string): Promise<WidgetKbSearchResult>;
  getArticle(id: string, lang: string, searchId: number | null): Promise<WidgetKbArticle>;
  rateArticle(
    id: string,
    body: { language: string; helpful: boolean; sessionId?: string },
  ): Promise<{ recorded: boolean }>;
  reportDeflection(body: WidgetKbDeflectionBody): Promise<void>;
}

async function readError(res: Response): Promise<WidgetApiError> {
  let code = 'HTTP_ERROR';
  let message = res.statusText;
  try {
    const body = (await res.json()) as { code?: string; detail?: string; title?: string };
    code = body.code ?? code;
    message = body.detail ?? body.title ?? message;
  } catch {
    // not JSON
  }
  return new WidgetApiError(res.status, code, message);
}

export function createWidgetApi(): WidgetApi {
  const api: WidgetApi = {
    token: null,
    getConfig: (key) => request(`/config?key=${encodeURIComponent(key)}`),
    startVisitor: (body) => request('/visitors', { method: 'POST', json: body }),
    listConversations: async () => (await request<{ items: WidgetConversation[] }>('/conversations')).items,
    startConversation: (body) => request('/conversations', { method: 'POST', json: body }),
    uploadFile: (file) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return request('/uploads', { method: 'POST', body: form });
    },
    fetchAttachment: async (url) => {
      const res = await fetch(url, { headers: headers() });
      if (!res.ok) throw await readError(res);
      return res.blob();
    },
    emailTranscript: async (conversationId, email) => {
      await request(`/conversations/${encodeURIComponent(conversationId)}/transcript`, {
        method: 'POST',
        json: email ? { email } : {},
      });
    },
    leaveMessage: (body) => request('/messages', { method: 'POST', json: body }),
    requestCallback: (body) => request('/callbacks', { method: 'POST', json: body }),
    searchArticles: (key, q, lang) =>
      request(`/kb/search?key=${encodeURIComponent(key)}&q=${encodeURIComponent(q)}&lang=${encodeURIComponent(lang)}`),
    getArticle: (id, lang, searchId) =>
      request(
        `/kb/articles/${encodeURIComponent(id)}?lang=${encodeURIComponent(lang)}${searchId ? `&searchId=${searchId}` : ''}`,
      ),
    rateArticle: (id, body) =>
      request(`/kb/articles/${encodeURIComponent(id)}/feedback`, { method: 'POST', json: body }),
    reportDeflection: (body) => request('/kb/deflection', { method: 'POST', json: body }),
  };

  function headers(): Record<string, string> {
    return api.token ? { 'x-seva-visitor': api.token } : {};
  }

  async function request<T>(path: string, init: { method?: string; json?: unknown; body?: FormData } = {}): Promise<T> {
    const h: Record<string, string> = { accept: 'application/json', ...headers() };
    let body: BodyInit | undefined = init.body;
    if (init.json !== undefined) {
      h['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const res = await fetch(`${BASE}${path}`, { method: init.method ?? 'GET', headers: h, body, credentials: 'omit' });
    if (!res.ok) throw await readError(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  return api;
}
