// Lint rules for every TypeScript file in the repository (type-aware rules stay off to keep `npm test` fast).
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", ".data/", ".tmp/", "**/*.js", "**/*.mjs", "**/*.validate.ts" /* generated */] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "error",
      eqeqeq: ["error", "smart"],
    },
  },
  {
    files: ["**/test/**/*.ts", "bench/**/*.ts", "local/**/*.ts"],
    rules: { "@typescript-eslint/no-non-null-assertion": "off" },
  },
);
