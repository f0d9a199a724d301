"""What the dataset says about itself, in its description (void.ttl), its manifest, its pages and
its citations."""

DATASET_NAME = "Dangjian KB"
DATASET_DESCRIPTION = ("A linked-data knowledge base of China's grassroots Party-building: the organisations, the policies "
                       "they run and the amounts those policies set, each amount tied to the news article that states it, "
                       "with the verbatim quote.")
DATASET_AUTHOR = "Dangjian KB contributors"
