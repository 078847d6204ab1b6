// The streaming guide's example routes, and a panel that shows what one of them sends. index.html fills the panels
// with a plain EventSource (examples.js), client.html with Candy.listen (client.js).
const exampleRoutes = ['/hello', '/hello/inline', '/message', '/callback', '/cleanup', '/array', '/users',
  '/app', '/file', '/monitor', '/data/fetch', '/logs', '/posts'];

function examplePanel(path) {
  const section = document.createElement('section');
  section.dataset.path = path;
  section.innerHTML = `<h2><a href="${path}">${path}</a><span class="state">connecting</span></h2><ol></ol>`;
  document.getElementById('examples').append(section);
  const list = section.querySelector('ol');
  return {
    state: section.querySelector('.state'),
    add(text) {
      const item = document.createElement('li');
      item.textContent = text;
      list.append(item);
      return item;
    },
  };
}
