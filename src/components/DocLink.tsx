import * as React from 'react';

/**
 * A link to AWS documentation (a check's, a service's, the banner's), opened
 * in a new tab without handing it this page (noopener).
 */
export function DocLink(props: {
  href: string;
  children: React.ReactNode;
}): JSX.Element {
  return (
    <a
      href={props.href}
      target="_blank"
      rel="noopener noreferrer"
      className="jp-TrustedIdentity-link"
    >
      {props.children}
    </a>
  );
}
