/** OWNER/NAME from a git remote URL of GitHub or GitHub Enterprise (https, ssh, scp-like); undefined otherwise. */
export function repositoryFromRemoteUrl(url: string): string | undefined {
  const match = /^(?:https?:\/\/(?:[^@/]+@)?[^/]+\/|ssh:\/\/(?:[^@/]+@)?[^/]+\/|[^@/]+@[^:/]+:)([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(url.trim());
  return match ? `${match[1]}/${match[2]}` : undefined;
}
