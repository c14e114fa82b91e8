interface ImportMetaEnv {
  readonly VITE_OBJECTDROP_STORE_URL?: string;
}
