/** One delivery attempt as it goes on the wire. */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface WebhookResponse {
  /** null when no HTTP answer came. */
  statusCode: number | null;
  /** The start of the answer's body, for the delivery log. */
  snippet: string;
  /** What went wrong without an answer (timeout, refused connection, refused address). */
  error: string | null;
  /** From a Retry-After header, when the receiver sent one. */
  retryAfterMs: number | null;
}

/** Sends webhook requests; the HTTP client lives outside the domain. */
export interface WebhookTransport {
  send(request: WebhookRequest): Promise<WebhookResponse>;
}
