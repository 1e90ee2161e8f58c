/** RFC 822 (as RFC 2822 narrows it, 4-digit year, GMT) for RSS 2.0: `Fri, 13 Apr 2018 00:21:42 GMT`. */
export function rfc822(date: Date): string {
  return date.toUTCString();
}

/** RFC 3339 in UTC without fractions for Atom and JSON Feed: `2018-04-12T16:21:42Z`. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
