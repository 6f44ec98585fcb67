/** Where the demo seeding reports each step it takes. */
export type Progress = (message: string) => void;
