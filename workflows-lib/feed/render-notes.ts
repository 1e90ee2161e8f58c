import { Marked, type TokenizerAndRendererExtension } from "marked";
import { sanitizeGitHubHtml } from "../report/github-html.ts";
import { stripForbiddenChars } from "./xml.ts";

/**
 * GitHub renders release notes as GitHub-flavoured markdown with hard line breaks, like comments, and links
 * `@login` to the profile and `#123` to the issue or pull request. One parser per repository (the links name it).
 */
const parsers = new Map<string, Marked>();
function markdownFor(repositoryUrl: string): Marked {
  let parser = parsers.get(repositoryUrl);
  if (!parser) {
    parser = new Marked({ gfm: true, breaks: true });
    parser.use({
      extensions: [githubReferences(repositoryUrl)],
      // No links inside links: a reference in a link's text stays text.
      walkTokens(token) {
        if (token.type !== "link" || !token.tokens) return;
        token.tokens = token.tokens.map((child) => (child.type === "githubReference" ? { type: "text", raw: child.raw, text: child.raw } : child));
      },
    });
    if (parsers.size > 100) parsers.clear();
    parsers.set(repositoryUrl, parser);
  }
  return parser;
}

// `@login` (GitHub's login rules) or `#123`, not inside a word (e-mail addresses, `C#1`).
const REFERENCE = /^(?:@([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:\/[A-Za-z0-9][\w.-]*)?)|#(\d+))(?![\w-])/;

function githubReferences(repositoryUrl: string): TokenizerAndRendererExtension {
  const origin = new URL(repositoryUrl).origin;
  return {
    name: "githubReference",
    level: "inline",
    start(src: string) {
      const match = /(?:^|[^\w@#`/.-])[@#][\w]/.exec(src);
      if (!match) return undefined;
      return match.index + (/[@#]/.test(match[0][0]!) ? 0 : 1);
    },
    tokenizer(src: string) {
      const match = REFERENCE.exec(src);
      if (!match) return undefined;
      const href = match[1] !== undefined ? `${origin}/${match[1].includes("/") ? `orgs/${match[1].replace("/", "/teams/")}` : match[1]}` : `${repositoryUrl}/issues/${match[2]}`;
      return { type: "githubReference", raw: match[0], text: match[0], href };
    },
    renderer(token) {
      return `<a href="${token.href as string}">${token.text as string}</a>`;
    },
  };
}

/**
 * Release notes markdown → HTML a feed reader can show safely: GitHub-flavoured markdown (tables, task lists,
 * strikethrough, autolinks) rendered by marked, then cleaned with GitHub's allow-list (report/github-html.ts).
 * Relative URLs are made absolute because a feed is read away from the page it came from: links against
 * `base.links` (the repository tree at the tag, `…/blob/TAG/`), images against `base.images` (the raw files,
 * `…/raw/TAG/`), as GitHub does.
 */
export function renderNotes(notes: string, base: { repository: string; links: string; images: string }): string {
  const html = markdownFor(base.repository).parse(stripForbiddenChars(notes), { async: false });
  return sanitizeGitHubHtml(html, {
    a: (tagName, attribs) => ({ tagName, attribs: absolutize(attribs, "href", base.links) }),
    img: (tagName, attribs) => ({ tagName, attribs: absolutize(attribs, "src", base.images) }),
  });
}

function absolutize(attribs: Record<string, string>, key: string, baseUrl: string): Record<string, string> {
  const value = attribs[key];
  if (value === undefined || value.startsWith("#")) return attribs;
  try {
    return { ...attribs, [key]: new URL(value, baseUrl).href };
  } catch {
    const { [key]: _dropped, ...rest } = attribs;
    return rest;
  }
}

/**
 * Plain-text summary of HTML that renderNotes produced (for RSS `description` and JSON Feed `summary`). The input
 * is already sanitized, so dropping its tags and decoding its entities is enough; the result is text that every
 * renderer escapes again.
 */
export function summarize(html: string, maxLength = 280): string {
  const text = html
    // Block ends and line breaks separate words once the tags are gone.
    .replace(/<(?:br\s*\/?|\/(?:p|li|h\d|tr|td|th|pre|div|blockquote|summary))>/g, " ")
    .replace(/<[^>]*>/g, "")
    .replace(/&(lt|gt|quot|#39|#x27|amp);/g, (_all, name: string) => DECODE[name]!)
    .replace(/\s+/g, " ")
    .trim();
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > maxLength / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

const DECODE: Record<string, string> = { lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'", amp: "&" };
