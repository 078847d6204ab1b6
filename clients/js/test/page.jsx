// A React page built from the package for the browser tests (CandyPack.Tests/Browser/ReactHookTests): window.mount
// renders a component using useStream, window.unmount removes it. The status element shows what the hook returns.
import { createRoot } from 'react-dom/client';
import { useStream } from '../src/react.js';

function Status({ url, options }) {
  const status = useStream(url, options);
  return (
    <div id="status" data-state={status.state} data-id={status.lastEventId} data-transport={status.transport ?? ""}>
      {status.data === undefined ? '' : JSON.stringify(status.data)}
    </div>
  );
}

const root = createRoot(document.getElementById('root'));
window.mount = (url, options) => root.render(<Status url={url} options={options} />);
window.unmount = () => root.render(null);
window.ready = true;
