// Renders the certificate chain model sent by the extension. No inline script or style: the CSP forbids both.
(function () {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('root');

  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const c of children || []) e.append(c);
    return e;
  }

  function render(model) {
    root.replaceChildren();
    root.append(el('h1', {}, [model.title]));
    const sub = el('div', { class: 'subtitle' }, []);
    model.sources.forEach((s, i) => {
      if (i) sub.append(' · ');
      const a = el('a', { title: s.fileId }, [s.label]);
      a.addEventListener('click', () => vscode.postMessage({ type: 'open', fileId: s.fileId, offset: s.offset }));
      sub.append(a);
    });
    if (!model.sources.length) sub.append(model.subtitle || '');
    root.append(sub);
    if (!model.sections.length) root.append(el('p', { class: 'empty' }, [model.empty || 'Nothing to show.']));
    model.sections.forEach((section, i) => {
      if (i && section.chained) root.append(el('div', { class: 'arrow', 'aria-hidden': 'true' }, ['▲ signed by']));
      const card = el('section', { class: `card ${section.status}` }, [el('h2', {}, [section.heading, ' ', el('span', { class: 'role' }, [section.role || ''])])]);
      const table = el('table', {}, []);
      for (const [label, value] of section.rows) table.append(el('tr', {}, [el('td', { class: 'label' }, [label]), el('td', { class: 'value' }, [value])]));
      card.append(table);
      if (section.checks.length) card.append(el('ul', { class: 'checks' }, section.checks.map((c) => el('li', { class: c.status }, [c.text]))));
      root.append(card);
    });
  }

  window.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'render') {
      vscode.setState(event.data.model);
      render(event.data.model);
    }
  });
  const saved = vscode.getState();
  if (saved) render(saved);
  vscode.postMessage({ type: 'ready' });
})();
