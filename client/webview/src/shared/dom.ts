// The few DOM builders every view uses: elements with a class and text, and codicon glyphs.

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

/** A codicon glyph (from @vscode/codicons, bundled with the view's CSS). */
export function codicon(name: string, title?: string): HTMLElement {
  const icon = el('span', `codicon codicon-${name}`);
  if (title) icon.title = title;
  else icon.setAttribute('aria-hidden', 'true');
  return icon;
}

/** A toolbar button with a codicon, a tooltip, and an optional id for tests and keyboard users. */
export function iconButton(icon: string, title: string, onClick: () => void, id?: string): HTMLButtonElement {
  const button = el('button', 'icon-button');
  button.type = 'button';
  button.title = title;
  button.setAttribute('aria-label', title);
  if (id) button.id = id;
  button.append(codicon(icon));
  button.addEventListener('click', (event) => {
    event.stopPropagation();
    onClick();
  });
  return button;
}
