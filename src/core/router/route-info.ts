/** What the router concluded about a turn, as the gateway hands it to the policy (which may decide by intent). */
export interface RouteInfo {
  intent: string;
  confidence: number;
  /** The confidence reached the intent's threshold (and the request is in scope). */
  confident: boolean;
  /** The tools the intent allows; the model was offered only these. */
  allowedTools: string[];
}
