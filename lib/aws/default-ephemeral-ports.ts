/** The ephemeral ports network ACLs let return traffic reach unless an enforcement says otherwise: every client's. */
export const DEFAULT_EPHEMERAL_PORTS = { from: 1024, to: 65535 } as const;
