module.exports = async () => {
  await globalThis.pigelloSandbox.stop();
};
