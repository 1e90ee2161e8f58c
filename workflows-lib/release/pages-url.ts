/** The GitHub Pages URL of a folder of a repository's Pages site (`https://OWNER.github.io/REPO/DIR/`). */
export function githubPagesUrl(owner: string, name: string, directory: string): string {
  const host = `${owner.toLowerCase()}.github.io`;
  const root = name.toLowerCase() === host ? `https://${host}/` : `https://${host}/${name}/`;
  const dir = directory.replace(/^\/+|\/+$/g, "");
  return dir ? `${root}${dir}/` : root;
}
