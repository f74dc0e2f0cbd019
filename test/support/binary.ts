/** A supertest parser collecting a binary body (XLSX, PDF) into a Buffer: `.buffer(true).parse(binary as never)`. */
export const binary = (res: NodeJS.ReadableStream, callback: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};
