import { connect, createServer, type Server, type Socket } from 'node:net';
import { TcpProxy } from './tcp-proxy';

/** An echo server standing in for the database. */
async function echoServer(): Promise<Server> {
  const server = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

function echoOf(socket: Socket, text: string): Promise<string> {
  return new Promise((resolve) => {
    socket.once('data', (data) => resolve(String(data)));
    socket.write(text);
  });
}

describe(TcpProxy.name, () => {
  let target: Server;
  let proxy: TcpProxy;

  beforeEach(async () => {
    target = await echoServer();
    proxy = new TcpProxy('127.0.0.1', (target.address() as { port: number }).port);
  });

  afterEach(async () => {
    await proxy.stop();
    await new Promise((resolve) => target.close(resolve));
  });

  it('passes bytes both ways to the target', async () => {
    const port = await proxy.start();
    const socket = await open(port);
    expect(await echoOf(socket, 'SELECT 1')).toBe('SELECT 1');
    socket.destroy();
  });

  it('drops open connections and refuses new ones when cut, then accepts them again on the same port', async () => {
    const port = await proxy.start();
    const socket = await open(port);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await proxy.cut();
    await closed;
    await expect(open(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(proxy.cuts).toBe(1);

    await proxy.restore();
    expect(proxy.port).toBe(port);
    const again = await open(port);
    expect(await echoOf(again, 'back')).toBe('back');
    again.destroy();
  });

  it('counts a cut only when it took something away, and does not count the final stop', async () => {
    await proxy.start();
    await proxy.cut();
    await proxy.cut();
    await proxy.restore();
    await proxy.stop();
    expect(proxy.cuts).toBe(1);
  });
});
