module github.com/spanflame/spanflame/demo/groundtruth

go 1.26.5
