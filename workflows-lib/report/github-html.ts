import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

/**
 * GitHub-flavoured markdown as GitHub shows it, for pages read away from GitHub (release feeds, the local report
 * page): tables, task lists, strikethrough, autolinks, `<details>`, rendered by marked and then cleaned with the
 * allow-list GitHub's own sanitizer resembles: no scripts or styles, no event handlers, only http(s)/mailto links.
 */
export const GITHUB_ALLOWED_TAGS = [
  ...sanitizeHtml.defaults.allowedTags,
  "img", "h1", "h2", "del", "s", "ins", "details", "summary", "input", "sup", "sub", "kbd", "picture", "source",
];

export function sanitizeGitHubHtml(html: string, transformTags: sanitizeHtml.IOptions["transformTags"] = {}): string {
  return sanitizeHtml(html, {
    allowedTags: GITHUB_ALLOWED_TAGS,
    allowedAttributes: {
      a: ["href", "title"],
      img: ["src", "alt", "title", "width", "height"],
      source: ["srcset", "media", "type"],
      input: ["type", "checked", "disabled"],
      th: ["align", "colspan", "rowspan"],
      td: ["align", "colspan", "rowspan"],
      ol: ["start"],
      code: ["class"],
      pre: ["class"],
      details: ["open"],
    },
    allowedClasses: { code: [/^language-[\w-]+$/], pre: ["mermaid"] },
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesByTag: { img: ["http", "https"], source: ["http", "https"] },
    allowProtocolRelative: false,
    disallowedTagsMode: "discard",
    transformTags: {
      // Task-list checkboxes are display-only; anything else an <input> could be is dropped.
      input: (tagName, attribs) =>
        attribs.type === "checkbox"
          ? { tagName, attribs: { type: "checkbox", disabled: "", ...(attribs.checked !== undefined ? { checked: "" } : {}) } }
          : { tagName: "span", attribs: {}, text: "" },
      ...transformTags,
    },
    // sanitize-html keeps the text of discarded tags; for these, the text itself is code or styling.
    nonTextTags: ["script", "style", "textarea", "option", "noscript", "iframe", "object", "embed"],
  }).trim();
}

const escapeHtml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Comments and step summaries: hard line breaks like GitHub's comments; ```mermaid blocks become diagrams. */
const comments = new Marked({ gfm: true, breaks: true });
comments.use({
  renderer: {
    code({ text, lang }) {
      if (lang === "mermaid") return `<pre class="mermaid">${escapeHtml(text)}</pre>\n`;
      const language = lang?.match(/^[\w-]+/)?.[0];
      return `<pre><code${language ? ` class="language-${language}"` : ""}>${escapeHtml(text)}</code></pre>\n`;
    },
  },
});

export function renderGitHubMarkdown(markdown: string): string {
  return sanitizeGitHubHtml(comments.parse(markdown, { async: false }));
}
