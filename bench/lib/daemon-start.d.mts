/** The node flags and environment (each variable's default) of package.json's start script. */
export function daemonStart(root?: string): { nodeFlags: string[]; env: Record<string, string> };
